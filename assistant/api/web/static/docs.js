// Starts Swagger UI on /docs (a file, not an inline script, so the page's CSP holds).
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
