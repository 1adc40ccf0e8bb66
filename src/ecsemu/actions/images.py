"""(being written)"""

ACTIONS = ()
