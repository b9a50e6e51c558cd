# gateway/local.mk: filled in by the gateway work.
