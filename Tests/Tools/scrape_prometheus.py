"""Scrapes a Prometheus text-format endpoint and prints what prometheus_client's parser reads.

Usage: scrape_prometheus.py URL
Prints one JSON object: the response's content type and, per metric family, its type and
samples (name, labels, value). A document the parser refuses exits 1 with its error.
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
    content_type = response.headers.get("content-type")
    text = response.read().decode("utf-8")
try:
    families = [
        {
            "name": family.name,
            "type": family.type,
            "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in family.samples],
        }
        for family in text_string_to_metric_families(text)
    ]
except Exception as error:  # the parser's refusal is the finding
    print(f"parse error: {error}\n{text}")
    sys.exit(1)
print(json.dumps({"content_type": content_type, "families": families}))
