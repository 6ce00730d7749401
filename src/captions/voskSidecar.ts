/**
 * The Vosk sidecar, run as `python3 -c VOSK_SIDECAR <model dir>`: 16 kHz mono
 * PCM on standard input, one JSON line per recognition on standard output
 * (`{"text": …, "final": false}` while an utterance goes on, `true` at its
 * end). Kept here as text so the server has no file to find at run time.
 */
export const VOSK_SIDECAR = `
import json, sys
from vosk import KaldiRecognizer, Model, SetLogLevel

SetLogLevel(-1)
recognizer = KaldiRecognizer(Model(sys.argv[1]), 16000)

def say(text, final):
    if text:
        sys.stdout.write(json.dumps({"text": text, "final": final}) + "\\n")
        sys.stdout.flush()

last = ""
while True:
    chunk = sys.stdin.buffer.read(3200)
    if not chunk:
        break
    if recognizer.AcceptWaveform(chunk):
        say(json.loads(recognizer.Result()).get("text", ""), True)
        last = ""
    else:
        partial = json.loads(recognizer.PartialResult()).get("partial", "")
        if partial != last:
            last = partial
            say(partial, False)
say(json.loads(recognizer.FinalResult()).get("text", ""), True)
`;
