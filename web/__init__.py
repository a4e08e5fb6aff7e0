"""Below the crawler and the checks: URL rules, HTML parsing and decoding, and the
page model (`PageContext`, `Link`, `SiteInfo`) that checks read."""
