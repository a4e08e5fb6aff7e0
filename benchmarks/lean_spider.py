"""The ceiling for a Scrapy-based crawler: a spider that only follows every on-site link.

One XPath pass for hrefs, `urljoin`, a per-host check and a set for
de-duplication (no LinkExtractor, no dupefilter fingerprints, no parsing
beyond that). It runs with the same concurrency and politeness settings the
benchmark gives govsite (read from the same config file), so the difference
between the two is what govsite does per page.

    python -m govsite.benchmarks.lean_spider --config bench.yaml --out stats.json URL...
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
import yaml
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response, TextResponse

SKIPPED = ("javascript:", "mailto:", "tel:", "#", "data:")
# The file types govsite records without downloading (config crawl.skip_extensions).
DEFAULT_SKIP = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "zip", "rar", "7z", "gz",
                "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4", "avi",
                "wmv", "flv", "mov", "swf", "exe", "apk", "iso", "wps", "txt", "xml", "css", "js"}


class LeanSpider(scrapy.Spider):
    name = "lean"

    def __init__(self, urls: list[str], skip: set[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls
        self.skip = skip
        self.seen: set[str] = set()
        self.pages = 0
        self.html = 0
        self.errors = 0

    async def start(self):  # type: ignore[no-untyped-def]
        for url in self.urls:
            self.seen.add(url)
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def parse(self, response: Response):  # type: ignore[no-untyped-def]
        self.pages += 1
        if not isinstance(response, TextResponse):
            return
        self.html += 1
        host = urlsplit(response.url).netloc
        for href in response.xpath("//a/@href").getall():
            href = href.strip()
            if not href or href.startswith(SKIPPED):
                continue
            url = urljoin(response.url, href).split("#", 1)[0]
            if url in self.seen:
                continue
            parts = urlsplit(url)
            if parts.netloc != host or parts.scheme not in ("http", "https"):
                continue
            name = parts.path.rsplit("/", 1)[-1]
            if "." in name and name.rsplit(".", 1)[-1].lower() in self.skip:
                continue
            self.seen.add(url)
            yield scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True)

    def failed(self, failure: Any) -> None:
        self.errors += 1


def settings_from(config: dict[str, Any]) -> dict[str, Any]:
    """The concurrency and politeness govsite gets from the same benchmark config."""
    crawl = config.get("crawl", {})
    return {
        "BOT_NAME": "lean",
        "USER_AGENT": "lean-benchmark-spider/1.0",
        "ROBOTSTXT_OBEY": bool(crawl.get("robots_obey", False)),
        "CONCURRENT_REQUESTS": int(crawl.get("concurrent_requests", 32)),
        "CONCURRENT_REQUESTS_PER_DOMAIN": int(crawl.get("concurrent_per_host", 8)),
        "DOWNLOAD_DELAY": float(crawl.get("download_delay_s", 0)),
        "AUTOTHROTTLE_ENABLED": bool(crawl.get("autothrottle", False)),
        "DOWNLOAD_TIMEOUT": float(crawl.get("download_timeout_s", 20)),
        "RETRY_TIMES": int(crawl.get("retries", 2)),
        "DOWNLOAD_MAXSIZE": int(crawl.get("max_response_bytes", 5 * 2**20)),
        "DOWNLOAD_WARNSIZE": 0,
        "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.DownloaderAwarePriorityQueue",
        "DEPTH_LIMIT": 0,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govsite.benchmarks.lean_spider")
    parser.add_argument("--config", type=Path, required=True, help="benchmark config.yaml")
    parser.add_argument("--out", type=Path, required=True, help="write counts here (JSON)")
    parser.add_argument("--urls-file", type=Path, help="start URLs, one a line")
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args(argv)
    urls = list(args.urls)
    if args.urls_file:
        urls += [u.strip() for u in args.urls_file.read_text().splitlines() if u.strip()]
    config = yaml.safe_load(args.config.read_text(encoding="utf-8")) or {}
    skip = {e.lower().lstrip(".") for e in config.get("crawl", {}).get("skip_extensions", [])}
    process = CrawlerProcess(settings=settings_from(config))
    crawler = process.create_crawler(LeanSpider)
    started = time.perf_counter()
    process.crawl(crawler, urls=urls, skip=skip or DEFAULT_SKIP)
    process.start()
    spider = crawler.spider
    stats = {"pages": spider.pages, "html": spider.html, "errors": spider.errors,
             "seen": len(spider.seen), "seconds": time.perf_counter() - started}
    args.out.write_text(json.dumps(stats), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
