"""The SAN side of the estate: Fibre Channel fabrics (zoning, logins) and the pool hosts'
initiators (HBA WWPNs, iSCSI IQNs). Arrays and LUN masking live beside it (``san/array*``,
``san/masking*``)."""
