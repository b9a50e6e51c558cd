# keyvalidator/local.mk: the hub binary (network side). The core library and
# tollgatectl have their own fragments, included here.
include $(srcdir)/keyvalidator/core.mk
include $(srcdir)/keyvalidator/ctl.mk
