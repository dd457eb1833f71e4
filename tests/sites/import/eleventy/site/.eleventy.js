const pluginRss = require("@11ty/eleventy-plugin-rss");
const pluginSyntaxHighlight = require("@11ty/eleventy-plugin-syntaxhighlight");
const pluginDrafts = require("./eleventy.config.drafts.js");
const authors = require("./_data/authors.json");

module.exports = function (eleventyConfig) {
  eleventyConfig.addPlugin(pluginRss);
  eleventyConfig.addPlugin(pluginSyntaxHighlight);
  eleventyConfig.addPlugin(pluginDrafts);

  // Static files are copied as-is.
  eleventyConfig.addPassthroughCopy("assets");

  // Format dates in Liquid in UTC, not in the build machine's time zone,
  // so /blog/YYYY/MM/DD/ does not change between laptops and CI.
  eleventyConfig.setLiquidOptions({ timezoneOffset: 0 });

  // `<!-- more -->` splits the teaser from the rest of a post (page.excerpt).
  eleventyConfig.setFrontMatterParsingOptions({
    excerpt: true,
    excerpt_separator: "<!-- more -->",
  });

  // {% image "assets/img/x.png" "Alt text" %}
  eleventyConfig.addShortcode("image", function (src, alt, caption) {
    const url = eleventyConfig.getFilter("url")("/" + src.replace(/^\/+/, ""));
    const img = `<img src="${url}" alt="${alt}" loading="lazy" decoding="async">`;
    if (!caption) return img;
    return `<figure>${img}<figcaption>${caption}</figcaption></figure>`;
  });

  // {% callout "tip" %} Markdown here {% endcallout %}
  eleventyConfig.addPairedShortcode("callout", function (content, kind = "note") {
    return `<aside class="callout callout-${kind}">\n\n${content.trim()}\n\n</aside>`;
  });

  // {{ "maya" | team_link }} -> link to the author's page
  eleventyConfig.addFilter("team_link", function (key) {
    const a = authors[key];
    if (!a) return key;
    return `<a class="author" href="${a.url}">${a.name}</a>`;
  });

  // {{ video | embed: "Title" }} -> responsive iframe for YouTube/Vimeo links
  eleventyConfig.addFilter("embed", function (url, title) {
    let m = String(url).match(/(?:youtu\.be\/|v=)([\w-]{11})/);
    let src = m ? `https://www.youtube-nocookie.com/embed/${m[1]}` : url;
    return `<div class="embed"><iframe src="${src}" title="${title || ""}" loading="lazy" allowfullscreen></iframe></div>`;
  });

  eleventyConfig.addFilter("readableDate", (d) =>
    d.toLocaleDateString("en-GB", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" })
  );

  // Old URLs: every `redirect_from` (a string or a list) becomes a redirect page,
  // written by redirects.liquid.
  eleventyConfig.addCollection("redirects", function (collectionApi) {
    const out = [];
    for (const item of collectionApi.getFilteredByTag("posts")) {
      let from = item.data.redirect_from;
      if (!from) continue;
      for (const path of [].concat(from)) {
        out.push({ from: path, to: item.url });
      }
    }
    return out;
  });

  return {
    templateFormats: ["md", "liquid", "njk", "html"],
    markdownTemplateEngine: "liquid",
    htmlTemplateEngine: "liquid",
    dir: {
      input: ".",
      includes: "_includes",
      data: "_data",
    },
  };
};
