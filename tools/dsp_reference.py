#!/usr/bin/python3
"""Independent numpy reference for the engine's audio front end (workers/EchoPipeline.Engine/Audio).

Writes small fixtures under tests/fixtures/dsp/ that the C# tests compare against:

  slaney_mel_22050_1024_80_125_7600.json  Slaney mel filterbank (librosa htk=False, norm='slaney'), as the
                                          non-zero span of each row plus the 82 band edges in Hz.
  stft_magnitude_short_12x513.f32         |STFT| (n_fft 1024, hop 256, periodic Hann, centre, reflect pad) of
                                          short_signal(), float32 little-endian, row-major [frame, bin].
  mel_frontend_chirp_80x212.f32           SpecVQGAN mel in [0,1] of chirp_signal() (12 s, so the 10 s cut is
                                          exercised), frames 0, 4, ..., 844 of the 848, row-major [mel, frame].

The formulas are written here from their definitions (Slaney's Auditory Toolbox mel scale, the STFT sum), in
float64, with numpy only; no librosa or torch. The test signals are built in float64 then rounded to float32,
exactly as tests/EchoPipeline.Engine.Tests/Audio/TestSignals.cs builds them.

Run: /usr/bin/python3 tools/dsp_reference.py
"""
import json
import os

import numpy as np

SR, N_FFT, HOP, N_MELS, FMIN, FMAX = 22050, 1024, 256, 80, 125.0, 7600.0
CLIP, FRAMES_BEFORE_CROP, FRAMES = 220500, 860, 848
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "dsp")


def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    linear = f / (200.0 / 3.0)
    log = 15.0 + np.log(np.maximum(f, 1e-300) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log, linear)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    linear = m * (200.0 / 3.0)
    log = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
    return np.where(m >= 15.0, log, linear)


def mel_filterbank():
    edges = mel_to_hz(np.linspace(hz_to_mel(FMIN), hz_to_mel(FMAX), N_MELS + 2))
    freqs = np.arange(N_FFT // 2 + 1) * SR / N_FFT
    fb = np.zeros((N_MELS, freqs.size))
    for m in range(N_MELS):
        lo, c, hi = edges[m], edges[m + 1], edges[m + 2]
        tri = np.clip(np.minimum((freqs - lo) / (c - lo), (hi - freqs) / (hi - c)), 0.0, None)
        fb[m] = tri * 2.0 / (hi - lo)
    return fb, edges


def stft_magnitude(x):
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)  # periodic Hann
    padded = np.pad(x, N_FFT // 2, mode="reflect")
    frames = 1 + len(x) // HOP
    idx = np.arange(frames)[:, None] * HOP + np.arange(N_FFT)[None, :]
    return np.abs(np.fft.rfft(padded[idx] * window, axis=1))


def mel_frontend(x):
    x = np.asarray(x, dtype=np.float64)[:CLIP]
    x = np.concatenate([x, np.zeros(CLIP - len(x))])
    fb, _ = mel_filterbank()
    mel = fb @ stft_magnitude(x).T  # [mel, frame]
    db = 20 * np.log10(np.maximum(mel, 1e-5))
    norm = np.clip((db - 20 + 100) / 100, 0, 1)
    start = (FRAMES_BEFORE_CROP - FRAMES) // 2
    return norm[:, :FRAMES_BEFORE_CROP][:, start:start + FRAMES]


def short_signal():
    n = np.arange(3000, dtype=np.float64)
    noise = ((n * 7919) % 101) / 50.0 - 1.0
    x = 0.6 * np.sin(2 * np.pi * 1000 * n / SR) + 0.3 * np.sin(2 * np.pi * 3100.5 * n / SR + 0.25) + 0.05 * noise
    return x.astype(np.float32)


def chirp_signal():
    t = np.arange(12 * SR, dtype=np.float64) / SR
    f0, f1, duration = 150.0, 7000.0, 12.0
    chirp = np.sin(2 * np.pi * (f0 * t + (f1 - f0) * t * t / (2 * duration)))
    tone = np.sin(2 * np.pi * 440 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 0.3 * t))
    return (0.4 * chirp + 0.25 * tone).astype(np.float32)


def main():
    os.makedirs(OUT, exist_ok=True)
    fb, edges = mel_filterbank()
    rows = []
    for row in fb:
        nz = np.nonzero(row)[0]
        rows.append({"start": int(nz[0]), "weights": [float(w) for w in row[nz[0]:nz[-1] + 1]]})
    spec = {"sample_rate": SR, "n_fft": N_FFT, "n_mels": N_MELS, "fmin": FMIN, "fmax": FMAX,
            "band_edges_hz": [float(e) for e in edges], "rows": rows}
    with open(os.path.join(OUT, "slaney_mel_22050_1024_80_125_7600.json"), "w") as f:
        json.dump(spec, f, indent=None, separators=(",", ":"))
        f.write("\n")

    stft_magnitude(short_signal().astype(np.float64)).astype("<f4").tofile(
        os.path.join(OUT, "stft_magnitude_short_12x513.f32"))
    mel_frontend(chirp_signal())[:, ::4].astype("<f4").tofile(os.path.join(OUT, "mel_frontend_chirp_80x212.f32"))


if __name__ == "__main__":
    main()
