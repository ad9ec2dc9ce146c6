"""What the learner sees at step k, as plain data: frames, sentences, quiz and modes.

``lesson`` (a scenario's steps as positions and frames, and each step in
words), ``explain`` (the selected node, an edit), ``quiz`` (questions,
answers, scores), ``modes/`` (one class per mode of the lesson screen),
``training`` and ``worksheet``. Nothing here imports Textual; every sentence
a learner reads is built here so it can be tested (and later translated).
"""
