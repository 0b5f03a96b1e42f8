// Starts loading, compiling and self-testing the core the moment portal-client.js is in, while
// the shell's own modules are still arriving (issue 14): the module loads its core once per page,
// so app.js's createPortalClient() later finds it ready. A failure here is app.js's to report.
import('/dist/portal-client.js').then((api) => api.version()).catch(() => {});
