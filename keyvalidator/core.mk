# keyvalidator/core.mk: libhubcore.a (database, store, sessions, validation, handler, OAuth2).
