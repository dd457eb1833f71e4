"""The immutable `Site`: what is published, how it is grouped, and every decision pages need."""
