"""govsite's own Scrapy signals (sent with `crawler.signals.send_catch_log`)."""

# A site has nothing left to fetch: kwargs `site_id`, `spider`. The judging
# extension judges it; the rendering handler closes its browser context.
site_finished = object()
