// Evergreen guides: no date in the URL.
module.exports = {
  layout: "layouts/post.liquid",
  tags: ["posts", "guides"],
  categories: ["guides"],
  permalink: "/guides/{{ page.fileSlug }}/",
};
