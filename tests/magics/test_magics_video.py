"""%%comet_transcribe takes videos: their audio track is what is sent."""

from __future__ import annotations

from video_helpers import make_video


def test_transcribe_cell_takes_a_mov_and_a_webm(run, tmp_path, speech_wav):
    (tmp_path / "talk.mov").write_bytes(make_video(speech_wav, "mov"))
    (tmp_path / "talk.webm").write_bytes(make_video(speech_wav, "webm"))
    ran = run("%comet_transcribe -o t talk.mov")
    assert ran.error is None, ran.error
    assert "fox" in run("t.text").result.result.lower()
    assert run("t.source").result.result == "talk.mov"
    ran = run("%%comet_transcribe -o batch\ntalk.mov\ntalk.webm")
    assert ran.error is None, ran.error
    assert run("batch.df.status.tolist()").result.result == ["ok", "ok"]
