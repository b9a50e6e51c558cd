# keyvalidator/local.mk: filled in by the keyvalidator work.
