"""The MkDocs adapter: the plugin whose hooks hand the work to the core, the renderers and
the caches. Every use of MkDocs or Material lives in this layer."""
