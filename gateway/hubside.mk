# gateway/hubside.mk: the gateway hub side: hub_pool, feed, token_cache, key_auth and usage plugins.
