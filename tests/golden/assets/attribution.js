/* publisher: lead attribution. Remembers the visit's first and last touch
   (UTM parameters, landing page, referrer) in localStorage and fills the
   hidden fields of every CTA form. No dependencies; forms work without it. */
(function () {
  var KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"];
  var store;
  try { store = window.localStorage; store.setItem("publisher.t", "1"); store.removeItem("publisher.t"); }
  catch (e) { store = null; }
  function read(name) {
    try { return JSON.parse(store && store.getItem(name)) || null; } catch (e) { return null; }
  }
  var params = new URLSearchParams(location.search), touch = {}, tagged = false;
  KEYS.forEach(function (key) {
    var value = params.get(key);
    touch[key] = value ? value.slice(0, 200) : "";
    if (value) tagged = true;
  });
  touch.landing_page = location.origin + location.pathname;
  touch.referrer = document.referrer.slice(0, 500);
  var first = read("publisher.first"), last = read("publisher.last");
  if (!first) first = touch;
  if (tagged || !last) last = touch;
  if (store) {
    store.setItem("publisher.first", JSON.stringify(first));
    store.setItem("publisher.last", JSON.stringify(last));
  }
  // "|" separates the five values: one inside a value ("spring|2026") is written %7C, and "%" as %25, so
  // each part split on "|" and percent-decoded is the value as it was.
  function part(value) { return (value || "").replace(/%/g, "%25").replace(/\|/g, "%7C"); }
  var lastTouch = KEYS.map(function (key) { return part(last[key]); }).join("|");
  document.querySelectorAll("form[data-publisher-form]").forEach(function (form) {
    KEYS.concat(["landing_page", "referrer"]).forEach(function (key) {
      if (form.elements[key]) form.elements[key].value = first[key] || "";
    });
    if (form.elements.last_touch) form.elements.last_touch.value = lastTouch;
  });
})();
