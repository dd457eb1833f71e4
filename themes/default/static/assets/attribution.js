/* publisher: lead attribution. Remembers the visit's first and last touch
   (UTM parameters, landing page, referrer) and each ad platform's latest click
   in localStorage, fills the hidden fields of every CTA form and sends each
   form once per click. No dependencies; forms work without it, and without
   storage (this page's visit is then the touch). */
(function () {
  var KEYS = ["utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term"];
  // Each platform's click ids: a click replaces that platform's last one (its offline-conversion import credits a
  // lead to the latest click), and none takes a click older than 90 days (Google Ads' and Microsoft Advertising's
  // longest click window, the life of Meta's _fbc cookie).
  var CLICKS = {google: ["gclid", "gbraid", "wbraid"], microsoft: ["msclkid"], meta: ["fbclid"]};
  // An ad click auto-tagged with no UTM source or medium is paid search: google / cpc, as GA4 reports a Google Ads
  // click, and bing / cpc, as Microsoft Advertising's own UTM auto-tagging writes one. Not Meta's: Facebook adds
  // fbclid to unpaid links too.
  var PAID = {google: ["google", "cpc"], microsoft: ["bing", "cpc"]};
  var CLICK_LIFE = 90 * 24 * 3600 * 1000, now = Date.now();
  var store;
  try { store = window.localStorage; store.setItem("publisher.t", "1"); store.removeItem("publisher.t"); }
  catch (e) { store = null; }
  function read(name) {
    try { var value = JSON.parse(store && store.getItem(name)); return typeof value === "object" ? value : null; }
    catch (e) { return null; }
  }
  function write(name, value) {
    try { if (store) store.setItem(name, JSON.stringify(value)); } catch (e) { /* full: this page still fills */ }
  }
  var params = new URLSearchParams(location.search), touch = {}, tagged = false;
  KEYS.forEach(function (key) {
    var value = params.get(key);
    touch[key] = value ? value.slice(0, 200) : "";
    if (value) tagged = true;
  });
  if (!touch.utm_source && !touch.utm_medium) {
    var paid = Object.keys(PAID).filter(function (platform) {
      return CLICKS[platform].some(function (key) { return params.get(key); });
    })[0];
    if (paid) { touch.utm_source = PAID[paid][0]; touch.utm_medium = PAID[paid][1]; tagged = true; }
  }
  touch.landing_page = location.origin + location.pathname;
  touch.referrer = document.referrer.slice(0, 500);
  var first = read("publisher.first"), last = read("publisher.last"), clicks = read("publisher.clicks") || {};
  if (!first) first = touch;
  if (tagged || !last) last = touch;
  Object.keys(CLICKS).forEach(function (platform) {
    var ids = {}, clicked = false;
    CLICKS[platform].forEach(function (key) {
      var value = params.get(key);  // as sent: a click id is case-sensitive, and a cut one matches no click
      if (value && value.length <= 500) { ids[key] = value; clicked = true; }
    });
    var kept = clicks[platform];
    if (clicked) clicks[platform] = {ids: ids, at: now};
    else if (!kept || typeof kept.at !== "number" || !(now - kept.at < CLICK_LIFE)) delete clicks[platform];
  });
  write("publisher.first", first);
  write("publisher.last", last);
  write("publisher.clicks", clicks);
  // "|" separates the five values: one inside a value ("spring|2026") is written %7C, and "%" as %25, so
  // each part split on "|" and percent-decoded is the value as it was.
  function part(value) { return (value || "").replace(/%/g, "%25").replace(/\|/g, "%7C"); }
  var lastTouch = KEYS.map(function (key) { return part(last[key]); }).join("|");
  var clickIds = {};
  Object.keys(clicks).forEach(function (platform) {
    var ids = clicks[platform].ids || {};
    Object.keys(ids).forEach(function (key) { clickIds[key] = String(ids[key]); });
  });
  // Meta's Conversions API takes the click as `fbc`: fb.<subdomain index, 1 when not read from a cookie>.<the
  // time the click was first seen, in ms>.<fbclid>.
  if (clickIds.fbclid) clickIds.fbc = "fb.1." + clicks.meta.at + "." + clickIds.fbclid;
  // A field is found by its data-visit, as a provider may name it otherwise (Mailchimp's UTM_CAMPGN); by its
  // name in a theme's form written without it.
  function field(form, key) { return form.querySelector('[data-visit="' + key + '"]') || form.elements[key]; }
  document.querySelectorAll("form[data-publisher-form]").forEach(function (form) {
    KEYS.concat(["landing_page", "referrer"]).forEach(function (key) {
      if (field(form, key)) field(form, key).value = first[key] || "";
    });
    if (field(form, "last_touch")) field(form, "last_touch").value = lastTouch;
    ["gclid", "gbraid", "wbraid", "msclkid", "fbclid", "fbc"].forEach(function (key) {
      if (field(form, key)) field(form, key).value = clickIds[key] || "";
    });
    sendOnce(form);
  });
  // A second click while the form is being sent (the service takes a moment) would send the lead twice: a
  // duplicate in the CRM, and Mailchimp's "already subscribed" page instead of the thank-you page. The guard
  // lapses after a while (a service answering 204 leaves the reader on the page) and when the reader comes back.
  function sendOnce(form) {
    var sending = 0;
    form.addEventListener("submit", function (event) {
      if (Date.now() - sending < 10000) { event.preventDefault(); return; }
      sending = Date.now();
    });
    window.addEventListener("pageshow", function () { sending = 0; });
  }
})();
