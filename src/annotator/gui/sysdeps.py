"""Which Debian packages Qt's xcb platform needs and which are missing."""

import ctypes.util

# library soname stem -> Debian package
XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-randr": "libxcb-randr0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xinerama": "libxcb-xinerama0",
    "xcb-xkb": "libxcb-xkb1",
}


def missing_xcb_libraries() -> list[str]:
    return [pkg for lib, pkg in XCB_LIBS.items() if ctypes.util.find_library(lib) is None]
