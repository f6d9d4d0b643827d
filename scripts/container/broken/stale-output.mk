# expect: differs from expected_outputs
# A table not made by this run's pipeline left in place as current: the pipeline's fingerprints now
# refuse a stale table planted before a run, so this image swaps one in after the run (overriding
# the recipe of `reproduce`); the comparison must catch it.
reproduce: install
	$(PY) -m artifact reproduce --profile $(PROFILE) --workers $(WORKERS) $(REPRODUCE_ARGS)
	printf 'rank,name,downloads\n1,stale/model,1\n' > outputs/$(PROFILE)/tables/topk/hf_2024-04.csv
