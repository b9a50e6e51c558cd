# keyvalidator/ctl.mk: tollgatectl, the command-line Thrift client of the hub.
