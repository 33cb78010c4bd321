"""OpenTelemetry traces (ingest → validate → insert), exported over OTLP/HTTP when configured.

Off by default: with no EVENTHOUSE_OTLP_ENDPOINT, no tracer provider is installed and every span
below is OpenTelemetry's no-op span.
"""

from __future__ import annotations

from litestar.plugins.opentelemetry import OpenTelemetryConfig, OpenTelemetryPlugin
from opentelemetry import trace

tracer = trace.get_tracer("eventhouse.ingest")


def tracing_plugin(endpoint: str) -> OpenTelemetryPlugin | None:
    """Litestar's OpenTelemetry plugin exporting to `endpoint`, or None when tracing is off."""
    if not endpoint:
        return None
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": "eventhouse-api"}))
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint.rstrip("/") + "/v1/traces"))
    )
    trace.set_tracer_provider(provider)
    return OpenTelemetryPlugin(OpenTelemetryConfig(tracer_provider=provider))
