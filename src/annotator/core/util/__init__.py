"""Small helpers every part of core uses: errors, dates, logs, text safety, licences."""
