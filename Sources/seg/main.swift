import SegworkCore
print("seg: not yet")
