"""A minimal OTLP/HTTP receiver (the OpenTelemetry Collector does not install here).

Usage: otlp_receiver.py
Listens on 127.0.0.1 (a free port, printed as "listening on PORT"), takes OTLP/HTTP protobuf
exports at /v1/traces and /v1/metrics (decoded with opentelemetry-proto, gzip or not), and
answers GET /received with what it decoded, flattened to JSON: spans with hex ids, and metric
points with their attributes. Stops by itself after 120 s.
"""
import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Span

received = {"spans": [], "metrics": [], "resources": [], "exports": {"traces": 0, "metrics": 0}}
lock = threading.Lock()


def value(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def attributes(items):
    return {item.key: value(item.value) for item in items}


def points(metric):
    kind = metric.WhichOneof("data")
    data = getattr(metric, kind)
    result = []
    for point in data.data_points:
        entry = {"attributes": attributes(point.attributes)}
        if kind in ("histogram", "exponential_histogram"):
            entry.update(count=point.count, sum=point.sum)
        else:
            entry["value"] = point.as_int if point.WhichOneof("value") == "as_int" else point.as_double
        result.append(entry)
    return kind, result


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if self.path == "/v1/traces":
            request = ExportTraceServiceRequest.FromString(body)
            with lock:
                received["exports"]["traces"] += 1
                for resource_spans in request.resource_spans:
                    received["resources"].append(attributes(resource_spans.resource.attributes))
                    for scope_spans in resource_spans.scope_spans:
                        for span in scope_spans.spans:
                            received["spans"].append({
                                "name": span.name,
                                "kind": Span.SpanKind.Name(span.kind),
                                "traceId": span.trace_id.hex(),
                                "spanId": span.span_id.hex(),
                                "parentSpanId": span.parent_span_id.hex(),
                                "attributes": attributes(span.attributes),
                                "status": span.status.code,
                                "durationNanos": span.end_time_unix_nano - span.start_time_unix_nano,
                            })
            answer = ExportTraceServiceResponse().SerializeToString()
        elif self.path == "/v1/metrics":
            request = ExportMetricsServiceRequest.FromString(body)
            with lock:
                received["exports"]["metrics"] += 1
                for resource_metrics in request.resource_metrics:
                    for scope_metrics in resource_metrics.scope_metrics:
                        for metric in scope_metrics.metrics:
                            kind, data = points(metric)
                            received["metrics"].append({"name": metric.name, "unit": metric.unit, "type": kind, "points": data})
            answer = ExportMetricsServiceResponse().SerializeToString()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self):
        if self.path != "/received":
            self.send_error(404)
            return
        with lock:
            answer = json.dumps(received).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on {server.server_address[1]}", flush=True)
stopper = threading.Timer(120, server.shutdown)
stopper.daemon = True
stopper.start()
server.serve_forever()
