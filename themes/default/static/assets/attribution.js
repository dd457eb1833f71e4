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
  // A field is found by its data-visit, as a provider may name it otherwise (Mailchimp's UTM_CAMPGN); by its
  // name in a theme's form written without it.
  function field(form, key) { return form.querySelector('[data-visit="' + key + '"]') || form.elements[key]; }
  document.querySelectorAll("form[data-publisher-form]").forEach(function (form) {
    KEYS.concat(["landing_page", "referrer"]).forEach(function (key) {
      if (field(form, key)) field(form, key).value = first[key] || "";
    });
    if (field(form, "last_touch")) field(form, "last_touch").value = lastTouch;
  });
})();
