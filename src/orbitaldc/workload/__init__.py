"""The workload engine: how long an AI training run takes and how fast a model serves requests.

``training`` holds the analytic chain for one training job: the 6 N D compute of a dense
transformer, the time at a sourced model-FLOPs utilisation, the gradient all-reduce over the
links (the alpha-beta model of :mod:`orbitaldc.network.collectives`), the part of it not hidden
behind compute, the pipeline bubble, and checkpoint/restart under exponential failures with the
Young-Daly interval. ``inference`` holds the serving side: the prefill and decode rooflines of
one accelerator, a request's service time, M/M/c queueing (Erlang C, the response-time
distribution, SLO attainment) and a diurnal request-rate profile. Every function is pure, SI and
broadcasts over numpy arrays (e.g. a ``(time,)`` series of link bandwidths or of available
accelerators gives a ``(time,)`` series of results).
"""
