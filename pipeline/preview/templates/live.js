// epdoc preview: follow the server's events; reload when a new good version is built
// (keeping the scroll position), show a failed build's error without losing the page.
(() => {
  "use strict";
  const first = document.getElementById("epdoc-preview");
  if (!first) return;
  const key = "epdoc-preview-scroll:" + location.pathname;
  const y = sessionStorage.getItem(key);
  if (y !== null) {
    sessionStorage.removeItem(key);
    document.fonts.ready.then(() => window.scrollTo(0, Number(y)));
  }
  const stopped = (yes) => {
    const note = document.querySelector("#epdoc-preview .epdoc-preview-off");
    if (note) note.hidden = !yes;
  };
  const events = new EventSource("/events?page=" + encodeURIComponent(first.dataset.page));
  events.onopen = () => {
    document.documentElement.dataset.epdocPreview = "live";
    stopped(false);
  };
  events.onerror = () => stopped(true);
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    const box = document.getElementById("epdoc-preview");
    if (String(state.good) !== box.dataset.good) {
      sessionStorage.setItem(key, String(window.scrollY));
      events.close();
      location.reload();
    } else if (String(state.version) !== box.dataset.version) {
      box.outerHTML = state.panel;
    }
  };
})();
