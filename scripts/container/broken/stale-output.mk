# expect: differs from expected_outputs
# A stale table left in place before the run: the pipeline trusts it, the comparison must not.
reproduce: stale-output
stale-output:
	mkdir -p outputs/$(PROFILE)/tables/topk
	printf 'rank,name,downloads\n1,stale/model,1\n' > outputs/$(PROFILE)/tables/topk/hf_2024-04.csv
