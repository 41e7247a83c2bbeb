"""Documents as read: their details, pages and lines, and page images."""
