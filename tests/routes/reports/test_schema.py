"""The report endpoints document themselves in the OpenAPI schema."""

from drf_spectacular.generators import SchemaGenerator


def test_the_report_endpoints_are_in_the_schema_with_their_bodies():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    post = paths["/api/v1/reports/"]["post"]
    assert set(post["responses"]) == {"200", "201", "400", "429"}
    assert "ReportInput" in str(post["requestBody"])
    assert "/api/v1/reports/form-token/" in paths
    assert "/api/v1/reports/crossings/{slug}/" in paths
    assert "reporterToken" in schema["components"]["securitySchemes"]
