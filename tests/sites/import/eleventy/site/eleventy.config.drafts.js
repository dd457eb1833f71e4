// Drafts, as in eleventy-base-blog v8: `draft: true` in front matter.
// Drafts are written only by `eleventy --serve`/`--watch`, or when BUILD_DRAFTS is set.
function eleventyComputedPermalink() {
  // addGlobalData runs the top-level function, so return the real one.
  return (data) => {
    if (data.draft && !process.env.BUILD_DRAFTS) {
      return false;
    }
    return data.permalink;
  };
}

function eleventyComputedExcludeFromCollections() {
  return (data) => {
    if (data.draft && !process.env.BUILD_DRAFTS) {
      return true;
    }
    return data.eleventyExcludeFromCollections;
  };
}

module.exports.eleventyComputedPermalink = eleventyComputedPermalink;
module.exports.eleventyComputedExcludeFromCollections = eleventyComputedExcludeFromCollections;

module.exports = (eleventyConfig) => {
  eleventyConfig.addGlobalData("eleventyComputed.permalink", eleventyComputedPermalink);
  eleventyConfig.addGlobalData(
    "eleventyComputed.eleventyExcludeFromCollections",
    eleventyComputedExcludeFromCollections
  );

  let logged = false;
  eleventyConfig.on("eleventy.before", ({ runMode }) => {
    if (runMode === "serve" || runMode === "watch") {
      process.env.BUILD_DRAFTS = true;
    }
    let text = process.env.BUILD_DRAFTS ? "Including" : "Excluding";
    if (!logged) {
      console.log(`[11ty/northwind] ${text} drafts.`);
    }
    logged = true;
  });
};
