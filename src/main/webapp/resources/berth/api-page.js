// Starts Swagger UI on the API page with the API's description (the element's data-url).
// "Try it out" sends what the Authorize button holds: a personal API token (Bearer), or in the
// demo a built-in account (Basic). The API ignores the portal's session cookie, so the page sends
// none, and nothing is fetched from outside Berth (no validator badge).
window.addEventListener('DOMContentLoaded', function () {
  var root = document.getElementById('swagger-ui');
  if (!root || typeof SwaggerUIBundle !== 'function') {
    return;
  }
  window.berthApi = SwaggerUIBundle({
    url: root.getAttribute('data-url'),
    domNode: root,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: false,
    validatorUrl: null,
    persistAuthorization: false,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    requestInterceptor: function (request) {
      request.credentials = 'omit';
      return request;
    }
  });
});
