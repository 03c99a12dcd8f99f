"""Request ids, Prometheus metrics, health checks and OpenTelemetry tracing at the HTTP and GraphQL edge."""
