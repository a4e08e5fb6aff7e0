"""Crawl-throughput and memory benchmark of govsite against peers (see README.md here).

`python -m govsite.benchmarks.run` generates large realistic government sites
as static files, serves them with nginx on loopback, and measures govsite, a
lean Scrapy spider, LinkChecker and wget side by side.
"""
