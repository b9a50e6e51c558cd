# gateway/local.mk: tollgate-gateway (server, router, plugin chain, proxy).
# The hub side of the gateway (hub pool, change feed, key_auth, usage) has its
# own fragment, included here.
include $(srcdir)/gateway/hubside.mk
