// The API reference page (/api/v1/docs): Swagger UI reading the app's own OpenAPI document.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("api-reference");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    domNode: root,
    deepLinking: true,
    tryItOutEnabled: false,
    validatorUrl: null, // never ask an outside validator
    presets: [window.SwaggerUIBundle.presets.apis],
  });
});
