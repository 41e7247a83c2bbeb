#!/usr/bin/env bash
# Checks the system packages the GUI and end-to-end tests need (Debian/Ubuntu).
# As root with apt-get available, installs what is missing; otherwise prints
# the exact command to run. Never fails the build: tests that need a real
# display are skipped with this message when Xvfb is absent.
#   packaging/sysdeps.sh gui   -> Qt's xcb libraries (a real window) and Tesseract (OCR of scans)
#   packaging/sysdeps.sh test  -> the same plus xvfb, xauth, xdotool, poppler-utils and postgresql
#                                 (the team tests start a throw-away server of their own)
set -u
want="libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \
libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 \
tesseract-ocr tesseract-ocr-eng"
[ "${1:-gui}" = "test" ] && want="$want xvfb xauth xdotool poppler-utils postgresql"
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian: nothing we can check
missing=""
for pkg in $want; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for Qt and end-to-end tests:$missing"
  if (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >/tmp/annotator-apt.log 2>&1; then
    exit 0
  fi
  echo "apt-get could not install them (see /tmp/annotator-apt.log)."
fi
echo "Missing system packages:$missing"
echo "Install them with: sudo apt-get install$missing"
exit 0
