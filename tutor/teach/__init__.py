"""What the learner sees at step k, as plain data: frames, sentences, quiz and modes.

Nothing here imports Textual; every sentence a learner reads is built here
so it can be tested (and later translated).
"""
