"""Jobs: many inputs and long inputs, sent through one bounded, 429-aware client.

- ``batch``            — ``transcribe_many``: many sources, a row for each, retry the failed
- ``sources``          — what "many inputs" can be: a list, a glob, a folder, a column
- ``long_audio``       — ``transcribe_long``: audio of any length as one Transcript
- ``long_text``        — ``speech_long``: text of any length as one Speech
- ``stream_long_text`` — ``stream_speech_long``: the same, its audio handed out as it arrives
- ``split_audio``      — where long audio is cut (pauses, chunk length)
- ``split_text``       — where long text is cut (sentences, clauses, words)
- ``join_transcripts`` — chunk transcripts back on one timeline
- ``dispatch``         — ``Dispatcher``: the job's gated client; interrupt-safe running
- ``limit``            — ``AdaptiveLimit``: AIMD concurrency on 429s
- ``cache``            — finished transcripts kept on disk, so a rerun skips them
- ``progress``         — a progress bar with done/failed counts
- ``defaults``         — what a job uses when not told (set by the notebook session)
"""
