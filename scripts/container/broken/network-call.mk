# expect: reproduce failed
# A reproduce that needs the network (it fetches a page from the package registry).
reproduce: network-call
network-call:
	$(PY) -c 'import urllib.request; urllib.request.urlopen("https://pypi.org/simple/", timeout=10)'
