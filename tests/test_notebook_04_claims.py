"""Notebook 04's prose, checked against its outputs (read only through ``notebook_outputs.read``).

The notebook prints its results and never says whether they meet any bar; these tests assert each
claim the prose makes about them. Bounds are two-sided where the prose says two things match, so a
claim fails when the effect disappears *or* inverts.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from pathlib import Path

import pytest
from notebook_outputs import BOOKKEEPING, SOURCES, stderr_outputs, output_text, output_with, read
from notebook_outputs import table as table_rows

ROOT = Path(__file__).resolve().parents[1]
NAME = "04_deep_embedded_clustering_digits.ipynb"
REFERENCE = ("KMeans, raw pixels", "PCA-20 + GMM")
TSNE, SPECTRAL = "t-SNE + GMM (tuned)", "Spectral, k-NN graph (tuned)"
R1K, R1S, R2K, FINAL = "Round 1 + KMeans", "Round 1 + SCAN head", "Round 2 + KMeans", "Round 2 + SCAN head"
NETWORKS = ("AE + KMeans", "DEC (on the AE)", R1K, R1S, R2K, FINAL)


@pytest.fixture(scope="module", params=SOURCES)
def cells(request):
    """The notebook as committed, then as executed in this test run: every claim is checked on both."""
    return read(NAME, request.param).cells


def _number(text, pattern):
    match = re.search(pattern, text)
    assert match, f"{pattern!r} not found in:\n{text}"
    return float(match.group(1))


def _markdown(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "markdown")


def _code(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "code")


def _lesson_code(cells):
    return "\n".join(c.source for c in cells if c.cell_type == "code" and "lesson-code" in c.metadata.get("tags", []))


@pytest.fixture
def tolerance(request):
    """How far a quoted score may sit from the printed one: 0 on the committed run, which the prose quotes exactly;
    0.02 on a fresh run, where another CPU or TensorFlow build may move a score by a hundredth or two."""
    return 0.0 if request.node.callspec.params["cells"] == "committed" else 0.02


@pytest.fixture(scope="module")
def rows(cells):
    """The full results table of section 7 (the one printed table with every pipeline)."""
    tables = [table_rows(output_text(c)) for c in cells if c.cell_type == "code"
              and c.source.strip() == "print(evaluation.results_table(results.values()))"]
    assert len(tables) == 1, f"expected one full results table, found {len(tables)}"
    assert set(tables[0]) == {*REFERENCE, TSNE, SPECTRAL, *NETWORKS}
    return tables[0]


@pytest.fixture(scope="module")
def ari(rows):
    return {name: row["ari"] for name, row in rows.items()}


# --- the lesson as a learner sees it -------------------------------------------------------------


def test_notebook_is_executed_without_errors_or_stderr(cells, request):
    code = [c for c in cells if c.cell_type == "code"]
    assert all(c.get("execution_count") for c in code), "every code cell must be executed"
    assert not [c for c in code if any(o.output_type == "error" for o in c.get("outputs", []))]
    stderr = stderr_outputs(cells, request.node.callspec.params["cells"])
    assert not stderr, f"stderr in committed outputs: {stderr[0].text[:200]!r}"


def test_no_bookkeeping_in_outputs_or_prose(cells):
    for cell in cells:
        if cell.cell_type == "code":
            found = BOOKKEEPING.search(output_text(cell))
            assert found is None, f"bookkeeping word {found.group(0)!r} in output of:\n{cell.source[:200]}"
    text = _markdown(cells)
    for phrase in ("stretch goal", "series' research", "the tests check", "oneDNN", "thread count"):
        assert phrase not in text, phrase


def test_the_lesson_is_written_in_the_notebook_not_printed_from_helpers(cells):
    lesson = _lesson_code(cells)
    for definition in ("def soft_assign", "def target_distribution", "class ClusteringLayer", "class DEC(",
                       "def train_dec", "def augment_images", "def positive_sets", "def random_partner",
                       "def info_nce_loss", "class NeighbourContrastive(", "class SCAN(", "def run_network",
                       "def split_in_halves", "def tsne_gmm", "def spectral"):
        assert definition in lesson, definition
    assert lesson.count("def compute_loss") == 2  # NeighbourContrastive's and SCAN's losses
    code = _code(cells)
    for gone in ("show_source", "helpers import augment", "contrastive.", "selflabel.", "dec.DEC", "training.train("):
        assert gone not in code, gone


def test_training_is_keras_compile_and_fit(cells):
    code = _code(cells)
    for snippet in ("autoencoder.compile(", "autoencoder.fit(X, X", 'loss="kld"', "model.fit(X, target_distribution(q)",
                    "model.compile(optimizer=keras.optimizers.Adam(s[\"learning_rate\"])", "model.fit(X, partners",
                    "scan.compile(", "scan.fit(X, partners", "training.CompactProgress()", "simclr.fit("):
        assert snippet in code, snippet


def _flat(text):
    return " ".join(text.split())


def test_settings_in_the_notebook_are_the_ones_the_tuning_script_chose(cells):
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    lesson = _lesson_code(cells)
    chosen = record["chosen"]
    assert f'TSNE_GMM = {json.dumps(chosen["tsne_gmm"]["config"])}' in lesson
    assert f'SPECTRAL = {json.dumps(chosen["spectral"]["config"])}' in lesson
    network = re.search(r"NETWORK = (\{.*?\})\n", lesson, flags=re.S).group(1)
    for key, value in chosen["network"]["config"].items():
        value = tuple(value) if isinstance(value, list) else value  # JSON has no tuples: (256, 128) is [256, 128]
        assert re.search(rf'"{key}": {re.escape(str(value))}[,}}]', network), (key, value)
    # every network setting is either searched or one of the published defaults the prose names
    defaults = {"temperature", "entropy_weight", "k_scan", "learning_rate", "scan_learning_rate"}
    names = set(re.findall(r'"(\w+)": ', network))
    assert names == set(record["network_start"]) | defaults and not defaults & set(record["network_start"])
    searched = {k for step in record["network_steps"] for k in step["chosen"]}
    assert searched == set(record["network_start"]), "every starting value had to hold its own"
    # the same number of tries for every method, each one recorded
    assert record["budget"] == {"spectral": 20, "tsne_gmm": 20, "network": 20}
    assert {m: len(record["grid"][m]) for m in record["grid"]} == record["budget"]
    text = _flat(_markdown(cells))
    assert "Each of the three methods gets 20 configurations" in text
    # the development scores the prose quotes are the script's
    for method, phrase in (("tsne_gmm", "full covariances (dev ARI {})"),
                           ("spectral", 'assign_labels="cluster_qr"` (dev ARI {}'),
                           ("network", "the network in `NETWORK` (dev ARI {})")):
        assert phrase.format(f'{chosen[method]["dev_ari"]:.3f}') in text, phrase
    # the budget in computing time, as the script measured it, and the ratio the prose draws from it
    cpu = record["cpu_seconds"]
    assert (f"the network's 20 took {cpu['network']} CPU seconds (about {cpu['network'] / 60:.0f} minutes), "
            f"t-SNE + GMM's 20 took {cpu['tsne_gmm']} and spectral clustering's {cpu['spectral']} CPU second") in text
    ratio = int(_number(text, r"tuned about (\d+) times as long as t-SNE \+ GMM"))
    assert abs(ratio - cpu["network"] / cpu["tsne_gmm"]) < 1
    # every network setting the search changed is named with its new value, and none that it kept
    changed = {k: v for k, v in chosen["network"]["config"].items() if record["network_start"][k] != v}
    search = text.split("- the network: first the neighbours per round")[1].split("(dev ARI")[0]
    for key, value in changed.items():
        assert f"`{key}` {value} (was {record['network_start'][key]:g})" in search, (key, value)
    assert search.count("(was ") == len(changed)
    assert f"It changed {['no', 'one', 'two', 'three'][len(changed)]} starting value" in search


def test_the_baseline_ranges_quoted_are_the_scripts(cells):
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    number = r"(\d\.\d+)"  # a sentence may end right after the last one
    quoted = re.search(rf"t-SNE \+ GMM's development score ranges from {number} to {number} and spectral "
                       rf"clustering's from {number} to {number}", _flat(_markdown(cells)))
    assert quoted
    for method, (low, high) in (("tsne_gmm", quoted.groups()[:2]), ("spectral", quoted.groups()[2:])):
        scores = [r["dev_ari"] for r in record["grid"][method]]
        assert (float(low), float(high)) == (round(min(scores), 2), round(max(scores), 2)), method


def test_the_view_strength_claims_are_the_tuning_scripts(cells):
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    runs = record["grid"]["network"]
    no_bend = [r for r in runs if r["config"]["elastic"] == 0.0]
    assert len(no_bend) == 1
    bend = [r for r in runs if r["config"] == {**no_bend[0]["config"], "elastic": 0.6}]  # the same run with the bend
    text = _flat(_markdown(cells))
    quoted = re.search(r"without the elastic bend the development score fell from ([\d.]+) to ([\d.]+)", text)
    assert quoted and len(bend) == 1
    scores = (round(bend[0]["dev_ari"], 2), round(no_bend[0]["dev_ari"], 2))
    assert (float(quoted.group(1)), float(quoted.group(2))) == scores
    assert no_bend[0]["dev_ari"] < bend[0]["dev_ari"] - 0.03
    stronger = [r for r in runs if r["config"]["elastic"] == 1.2 or r["config"]["max_shift"] == 1.5]
    assert len(stronger) == 2 and all(r["dev_ari"] < bend[0]["dev_ari"] for r in stronger)  # "also scored lower"
    # section 7: "without the bend, the network's development score at that step of the search was 0.78, below tuned
    # t-SNE + GMM's 0.86 on the same half"
    tsne = record["chosen"]["tsne_gmm"]["dev_ari"]
    assert no_bend[0]["dev_ari"] < tsne and (
        f"development score at that step of the search was {no_bend[0]['dev_ari']:.2f}, below tuned t-SNE + GMM's "
        f"{tsne:.2f} on the same half") in text
    # section 8: the new digits are the development half, "chosen to score well on exactly these digits (0.897 in the
    # search)"
    assert f"to score well on exactly these digits ({record['chosen']['network']['dev_ari']:.3f} in the search)" in text


def _readme_three_seeds(row):
    """The held-out ARI on seeds 42, 43 and 44 of one pipeline, from the README's three-seed table."""
    readme = (ROOT / "README.md").read_text()
    found = re.search(rf"^\| {re.escape(row)}[^|]* \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| [\d.]+ \|$", readme, re.M)
    assert found, row
    return [float(v) for v in found.groups()]


def _step(record, name, alternatives=2):
    """The network runs of one search step: the incumbent it started from, and its alternatives."""
    runs, chosen = record["grid"]["network"], [s["chosen"] for s in record["network_steps"]]
    names = [s["step"] for s in record["network_steps"]]
    before = {**record["network_start"]}
    for step in record["network_steps"][: names.index(name)]:
        before.update(step["chosen"])
    keys = chosen[names.index(name)].keys()
    incumbent = [r for r in runs if r["config"] == before]
    others = [r for r in runs if r["config"] != before and all(r["config"][k] == v for k, v in before.items()
                                                               if k not in keys)]
    assert len(incumbent) == 1 and len(others) == alternatives, name
    return incumbent[0], others


def test_the_last_three_search_steps_are_quoted_as_the_script_ran_them(cells):
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    text = _flat(_markdown(cells))
    # epochs per round: 75 was ahead by a thousandth, a tie at two decimals, so 100 stays
    incumbent, others = _step(record, "epochs")
    winner = max(others, key=lambda r: r["dev_ari"])
    assert winner["config"]["epochs"] == 75 and winner["dev_ari"] > incumbent["dev_ari"]
    assert round(winner["dev_ari"], 2) == round(incumbent["dev_ari"], 2)
    assert record["network_steps"][[s["step"] for s in record["network_steps"]].index("epochs")]["chosen"] == {"epochs": 100}
    assert f"({winner['dev_ari']:.3f} against {incumbent['dev_ari']:.3f} with 100)" in text
    assert "keeps the current value: 100 epochs" in text
    assert "The tie rule was adopted after those held-out scores had been seen, and after the 100-epoch" in text
    # the notebook gives the close call; the README gives the search step by step (section 7 points there)
    readme = _flat((ROOT / "README.md").read_text())
    link = "README's benchmark section](https://github.com/nn-clustering/clustering-with-neural-networks#benchmark-"
    assert link in text and "gives the network's search step by step" in text
    # the check on two more development seeds that the README quotes (benchmarks/tune_digits_seeds.py)
    seeds = {(r["seed"], r["epochs"]): r["dev_ari_final"] for r in
             json.loads((ROOT / "benchmarks" / "tune_digits_seeds.json").read_text())}
    assert (f"75 epochs scored {seeds[43, 75]:.3f} and {seeds[44, 75]:.3f} against {seeds[43, 100]:.3f} and "
            f"{seeds[44, 100]:.3f} for 100") in readme
    assert seeds[43, 75] + seeds[44, 75] < seeds[43, 100] + seeds[44, 100]  # "is noise": 75 is not better
    # how much the seed moves one setting's development score, and 75 epochs' lead over 100 on each seed
    seeds[42, 75], seeds[42, 100] = winner["dev_ari"], incumbent["dev_ari"]
    spread = {e: max(seeds[s, e] for s in (42, 43, 44)) - min(seeds[s, e] for s in (42, 43, 44)) for e in (75, 100)}
    widest = max(spread, key=spread.get)
    scores = ", ".join(f"{seeds[s, widest]:.3f}" for s in (42, 43, 44))
    assert (f"one setting's score moves by up to {max(spread.values()):.3f} from seed to seed "
            f"({widest} epochs: {scores})") in text
    lead = [round(seeds[s, 75], 3) - round(seeds[s, 100], 3) for s in (42, 43, 44)]
    assert (f"lead over 100 goes from {lead[0]:+.3f} on seed 42 to {lead[1]:+.3f} and {lead[2]:+.3f} on seeds 43 and "
            f"44").replace("-", "−") in readme
    assert all(r["config"]["epochs"] <= 100 for r in record["grid"]["network"])
    # the disclosure: the tie rule brought back the setting with the better held-out scores, and the
    # development half alone, over the three seeds, points the same way (means of the recorded scores)
    final = _readme_three_seeds(FINAL)
    mean = {e: sum(seeds[s, e] for s in (42, 43, 44)) / 3 for e in (75, 100)}
    assert mean[100] > mean[75]
    assert (f"after the 100-epoch network's as well ({final[0]:.2f}, {final[1]:.2f} and {final[2]:.2f}, from an "
            f"earlier, 14-configuration version of this search, whose result the README already showed): it brought back the setting "
            f"that had scored better on the held-out half") in text
    assert (f"over seeds 42-44, 100 epochs {seeds[42, 100]:.3f}, {seeds[43, 100]:.3f} and {seeds[44, 100]:.3f} "
            f"against {seeds[42, 75]:.3f}, {seeds[43, 75]:.3f} and {seeds[44, 75]:.3f} for 75: means "
            f"{mean[100]:.3f} and {mean[75]:.3f}") in text
    # the encoder's shape: both alternatives far lower, and the largest drop of the last three steps
    incumbent, others = _step(record, "encoder shape")
    narrow = next(r for r in others if r["config"]["hidden_units"] == [128, 64])
    wide_code = next(r for r in others if r["config"]["embedding_dim"] == 32)
    smooth2 = next(r for r in _step(record, "smooth")[1] if r["config"]["smooth"] == 2.0)
    assert (f"{narrow['dev_ari']:.3f} and {wide_code['dev_ari']:.3f} for the two other shapes, "
            f"{smooth2['dev_ari']:.3f} for a smoothness of 2.0, against {incumbent['dev_ari']:.3f}") in readme
    drops = {name: _step(record, name)[0]["dev_ari"] - min(r["dev_ari"] for r in _step(record, name)[1])
             for name in ("epochs", "encoder shape", "smooth")}
    assert min(drops["encoder shape"], drops["smooth"]) > drops["epochs"]  # "cost the most when changed"
    # the elastic field's smoothness
    incumbent, others = _step(record, "smooth")
    by = {r["config"]["smooth"]: r["dev_ari"] for r in others}
    quoted = (f"(`smooth` 1.0 or 2.0 instead of 1.5: {by[1.0]:.2f} and {by[2.0]:.2f} against {incumbent['dev_ari']:.2f}). "
              "Each comparison is against the best score so far at that step of the search")
    assert quoted in text and max(by.values()) < incumbent["dev_ari"]  # "also scored lower"
    # "between the bend's step and the smoothness's, a new value of SCAN's `sharpness` raised that best from 0.88 to 0.90"
    names = [s["step"] for s in record["network_steps"]]
    between = names[names.index("elastic") + 1: names.index("smooth")]
    start = dict(record["network_start"])
    for step in record["network_steps"][: names.index("elastic") + 1]:
        start.update(step["chosen"])
    moved = [s["step"] for s in record["network_steps"] if s["step"] in between
             and any(start.get(k) != v for k, v in s["chosen"].items())]
    assert moved == ["sharpness"]
    elastic_best = _step(record, "elastic")[0]["dev_ari"]
    assert (f"a new value of SCAN's `sharpness` raised that best from {elastic_best:.2f} to "
            f"{incumbent['dev_ari']:.2f}") in text


def test_the_readme_gives_every_step_of_the_networks_search_as_the_script_ran_it():
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    readme = (ROOT / "README.md").read_text()
    table = readme.split("| step, in order | current value: dev ARI | alternatives: dev ARI | kept |")[1]
    rows = [line for line in table.strip().split("\n\n")[0].splitlines()[1:]]
    assert len(rows) == len(record["network_steps"])
    for row, step in zip(rows, record["network_steps"]):
        _, _, current, alternatives, kept, _ = row.split("|")
        incumbent, others = _step(record, step["step"], alternatives=3 if step["step"].startswith("k_round1") else 2)
        quoted = [float(x) for x in re.findall(r": (\d\.\d{3})", current + alternatives)]
        assert quoted == [round(r["dev_ari"], 3) for r in (incumbent, *others)], step["step"]
        best = max(others, key=lambda r: r["dev_ari"])
        moved = round(best["dev_ari"], 2) > round(incumbent["dev_ari"], 2)
        assert moved == (step["chosen"] != {k: incumbent["config"][k] for k in step["chosen"]}), step["step"]
        tie = not moved and round(best["dev_ari"], 2) == round(incumbent["dev_ari"], 2)
        assert ("a tie at" in kept) == tie, step["step"]


def test_the_settings_not_searched_are_the_published_defaults_named(cells):
    text = _flat(_markdown(cells))
    passage = text.split("The settings not searched are published defaults")[1].split("may still favour")[0]
    network = re.search(r"NETWORK = (\{.*?\})\n", _lesson_code(cells), flags=re.S).group(1)
    for key, quoted in (("temperature", "temperature 0.5"), ("entropy_weight", "entropy weight 5"),
                        ("k_scan", "its 20 embedding neighbours"), ("scan_learning_rate", "learning rate $10^{-4}$"),
                        ("learning_rate", "learning rate $10^{-3}$")):
        assert quoted in passage, quoted
        value = float(re.search(rf'"{key}": ([\d.e-]+)', network).group(1))
        assert f"{value:g}".replace("0.0001", "$10^{-4}$").replace("0.001", "$10^{-3}$") in passage, key
    assert "Every other setting in `NETWORK` was searched" in passage
    # the difference of 0.001 is called far smaller than a change of seed makes: the final network's seeds
    seeds = re.search(r"the final network averages ARI [\d.]+ \(([\d.]+), ([\d.]+), ([\d.]+)\)", text).groups()
    assert max(map(float, seeds)) - min(map(float, seeds)) >= 0.01


def test_the_prose_links_the_tuning_script_on_github(cells):
    series = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["series"]
    link = f"{series['repository']}/blob/{series['ref']}/benchmarks/tune_digits.py"
    assert _markdown(cells).count(link) >= 2


def test_the_notebook_clusters_only_the_held_out_half(cells):
    text = output_with(cells, "held-out half")
    assert "development half 898, held-out half 899" in text
    assert "X, y = digits.X[held_out], digits.y[held_out]" in _code(cells)
    assert "digits.X_raw[held_out]" in _code(cells)


def test_confusion_columns_and_the_embedding_map_use_matched_labels(cells):
    code = _code(cells)
    assert "plot_confusion(y, evaluation.match_labels(y, best)" in code
    assert "plot_clusters(Z_map, best, truth=y" in code
    assert 'fit_transform(net["Z_round2"])' in code  # a map of the learned embedding itself


def test_section_references_point_to_the_right_sections(cells):
    text = _markdown(cells)
    headings = dict(re.findall(r"^## (\d+)\. (.+)$", text, flags=re.MULTILINE))
    assert "Pitfalls" in headings["10"] and "Standardising pixels" in text.split("## 10.")[1]
    assert "section 10" in text.split("## 2.")[0]
    assert "Why DEC stays near its start" in headings["5"] and "neighbour-contrastive" in headings["6"]
    assert "how the settings were chosen" in headings["7"]


# --- the numbers behind the prose ----------------------------------------------------------------


def test_every_pipeline_assigns_every_digit_to_ten_clusters(rows):
    for name, row in rows.items():
        assert row["noise"] == 0 and row["clusters"] == 10, name


def test_the_prose_states_the_negatives_the_loss_uses(cells):
    text = _flat(_markdown(cells))
    assert "the loss of SimCLR" not in text and "partners* only" not in text
    # the code: one digits-by-partners matrix, read along its rows and along its columns
    lesson = _lesson_code(cells)
    assert "logits = ops.matmul(anchors, ops.transpose(partners)) / temperature" in lesson
    assert "sparse_categorical_crossentropy(targets, logits, from_logits=True)" in lesson
    assert "sparse_categorical_crossentropy(targets, ops.transpose(logits), from_logits=True)" in lesson
    assert "ops.matmul(anchors, ops.transpose(anchors))" not in lesson  # no digit-digit similarities
    assert "batch_size=256" in _code(cells)
    # the prose: both directions, 255 negatives each, all from the other side; NT-Xent 2N - 2
    assert "its 255 negatives are the *other digits' partners*" in text
    assert "its 255 negatives are the *other digits*" in text
    assert "a digit is never compared with another digit, nor a partner with another partner" in text
    assert "$2N - 2 = 510$ negatives, the other digits *and* the other partners" in text
    assert "so its $2N-2$ negatives include the other digits *and* the other partners" in text


def test_four_training_runs_each_print_one_line(cells):
    cell = next(c for c in cells if c.cell_type == "code" and c.source.startswith("net = run_network("))
    lines = [line for line in output_text(cell).splitlines() if line.startswith("trained ")]
    assert len(lines) == 4 and sum("consistency" in line for line in lines) == 2
    assert "four training runs, two contrastive rounds and two SCAN heads" in _flat(_markdown(cells))


def test_the_head_clusters_digits_it_has_never_seen(cells, ari, tolerance):
    text = output_with(cells, "digits it has never seen")
    trained = _number(text, r"the \d+ digits the head was trained on: ([\d.]+)")
    new = _number(text, r"on 898 digits it has never seen: ([\d.]+)")
    assert trained == ari[FINAL]
    assert new >= ari[TSNE]  # it clusters new digits well, not merely at all
    code = _code(cells)
    assert 'head.predict(new_digits, verbose=0)' in code and "digits.X[development]" in code
    quoted = _number(_flat(_markdown(cells)), r"section 8: ([\d.]+) on the development half")
    assert abs(quoted - new) <= tolerance + 1e-9


def test_the_largest_mistakes_quoted_are_the_printed_ones(cells, request):
    text = output_with(cells, "largest mistakes")
    printed = dict(re.findall(r"^(.*?), largest mistakes: (.*)$", text, flags=re.M))
    assert set(printed) == {"KMeans on raw pixels", "Round 2 + SCAN head"}
    prose = _flat(_markdown(cells))
    for name, mistakes in printed.items():
        first = mistakes.split(";")[0].strip()  # "51 1s in the cluster matched to 8"
        if request.node.callspec.params["cells"] == "committed":
            assert first in prose, (name, first)
            if name == "Round 2 + SCAN head":  # the final network: both printed mistakes, not only the largest
                for mistake in mistakes.split(";"):
                    assert mistake.strip() in prose, (name, mistake)
        else:  # another CPU or TensorFlow build moves a few digits: the same digit in the same cluster
            kind = re.sub(r"^\d+ ", "", first)  # "1s in the cluster matched to 8"
            sentence = prose.split("In the final network's matrix")[name == "Round 2 + SCAN head"]
            assert re.search(rf"\d+ {re.escape(kind)}", sentence.split("Since the data")[0]), (name, first)


def test_every_mistake_the_prose_counts_was_printed(cells, request):
    if request.node.callspec.params["cells"] != "committed":
        pytest.skip("counts of a few digits move with the CPU; the fresh run is checked by kind above")
    printed = output_with(cells, "largest mistakes")
    for count, digit, cluster in re.findall(r"(\d+) (\d)s in the cluster matched to (\d)", _flat(_markdown(cells))):
        assert f"{count} {digit}s in the cluster matched to {cluster}" in printed, (count, digit, cluster)


def test_section_6_quotes_its_own_table_and_purities(cells, ari, request, tolerance):
    prose = _flat(_markdown(cells))
    quoted = _number(prose, r"\*\*Round 2\*\* \(neighbours mined in the round-1 embedding\) followed by KMeans scores (\d\.\d+)")
    assert abs(quoted - ari[R2K]) <= tolerance + 1e-9
    ends = re.search(r"ends at (\d\.\d+) on round 1 and (\d\.\d+) on round 2", prose)
    assert abs(float(ends[1]) - ari[R1S]) <= tolerance + 1e-9 and abs(float(ends[2]) - ari[FINAL]) <= tolerance + 1e-9
    text = output_with(cells, "5-NN purity: raw pixels")
    pixels, round1, round2 = (_number(text, rf"{what} ([\d.]+)") for what in ("raw pixels", "round 1", "round 2"))
    if request.node.callspec.params["cells"] == "committed":
        assert pixels < min(round1, round2)  # "purer than the pixels'"
        assert f"({pixels:.3f} → {round1:.3f} after round 1, and {round2:.3f} after round 2)" in prose
        # "at 5 neighbours the two embeddings are about equally pure (0.975 and 0.973)"
        assert abs(round1 - round2) <= 0.003
        assert f"at 5 neighbours the two embeddings are about equally pure ({round1:.3f} and {round2:.3f})" in prose


def test_target_demo_has_equal_cluster_sizes_and_sharpens(cells):
    text = output_with(cells, "f (soft cluster sizes)")
    sizes = re.search(r"f \(soft cluster sizes\): \[([^\]]+)\]", text).group(1).split()
    assert len(set(sizes)) == 1 and len(sizes) == 4
    after = text.split("p, first two rows:")[1]
    assert "[0.94" in after and "[0.53" in after  # the prose: 0.70 -> 0.94 and 0.40 -> 0.53
    assert "0.70 to 0.94" in _markdown(cells) and "0.40 to 0.53" in _markdown(cells)


def test_dec_refuses_centres_of_the_wrong_width(cells):
    text = output_with(cells, "ValueError:")
    assert "the centres have shape (10, 16), but the encoder outputs 10 features" in text


def test_scan_heads_start_at_kmeans(cells):
    text = output_with(cells, "at step 0 the SCAN head agrees")
    values = [float(v) for v in re.findall(r"agrees with KMeans on ([\d.]+)%", text)]
    moved = [float(v) for v in re.findall(r"after training ([\d.]+)% of the digits", text)]
    assert values == [100.0, 100.0]
    assert all(0.3 < m < 10.0 for m in moved)  # "a few per cent"


def test_pretrained_weights_are_kept_before_dec_and_restored(cells):
    code = _code(cells)
    assert code.index("pretrained = encoder.get_weights()") < code.index("model = DEC(")
    text = output_with(cells, "mean change of the encoder's output")
    assert _number(text, r"since pretraining: ([\d.]+)") > 0.05
    assert "equals Z_ae again: True" in text


def test_neighbour_purity_pixels_beat_the_autoencoder_and_the_embeddings_beat_the_pixels(cells):
    text = output_with(cells, "5-NN purity, raw pixels:")
    pixels, code = _number(text, r"raw pixels:\s+([\d.]+)"), _number(text, r"autoencoder code:\s+([\d.]+)")
    text = output_with(cells, "5-NN purity: raw pixels")
    round1, round2 = _number(text, r"round 1 ([\d.]+)"), _number(text, r"round 2 ([\d.]+)")
    assert code < pixels < min(round1, round2)


def test_standardising_pixels_hurts_kmeans(cells, ari):
    text = output_with(cells, "on standardised pixels")
    assert _number(text, r"pixels / 16: ([\d.]+)") == ari["KMeans, raw pixels"]
    assert _number(text, r"on standardised pixels: ([\d.]+)") <= ari["KMeans, raw pixels"] - 0.05


def test_exercise_1_purity_falls_with_k(cells):
    text = "".join(output_text(c) for c in cells if c.cell_type == "code" and "neighbour_purity(X, y, k)" in c.source)
    values = [float(v) for v in re.findall(r"k=\s*\d+: ([\d.]+)", text)]
    assert len(values) == 4 and values == sorted(values, reverse=True)
    assert values[1] >= 0.95


def test_exercise_2_gmm_on_the_embedding_does_not_beat_the_scan_head(cells, request):
    # "the result can vary with the start": on some machines the GMM ties the head, it never wins
    table = table_rows(output_with(cells, "Round 2 + GMM"))
    assert table[FINAL]["ari"] >= table["Round 2 + GMM"]["ari"]
    prose = _flat(_markdown(cells))
    assert "in the run committed with this notebook the GMM ends below KMeans" in prose
    assert "Try a few values of `random_state` in the cell below" in prose  # the GMM's cell follows the answer
    if request.node.callspec.params["cells"] == "committed":  # the sentence is about the committed run
        assert table["Round 2 + GMM"]["ari"] <= table["Round 2 + KMeans"]["ari"] - 0.05
        # a teacher's check: the seeds' sentence once quoted 0.83 for seed 42 beside a printed 0.78; it names the
        # committed run's score, and the other machine's
        assert f"seeds 6 and 42 gave {table['Round 2 + GMM']['ari']:.2f} (seed 42 is the committed run below;" in prose


def test_the_results_reading_quotes_this_runs_table(cells, ari, tolerance):
    text = _markdown(cells)
    for name, phrase in (("KMeans, raw pixels", "KMeans on the pixels ({:.2f})"), ("PCA-20 + GMM", "PCA-20 + GMM ({:.2f})"),
                         (TSNE, "t-SNE + GMM {:.2f}, spectral"), (SPECTRAL, "any digit that counts it among its own) {:.2f}"),
                         ("AE + KMeans", "AE + KMeans ({:.2f})"), ("DEC (on the AE)", "DEC lifts it to {:.2f}, still below raw KMeans"),
                         (R1K, "Round 1 + KMeans ({:.2f})"), (FINAL, "round 2 + SCAN head) scores {:.2f}")):
        pattern = re.escape(phrase).replace(re.escape("{:.2f}"), r"(\d\.\d\d)")
        quoted = re.search(pattern, text)
        assert quoted, phrase
        assert abs(float(quoted.group(1)) - ari[name]) <= tolerance + 1e-9, (phrase, ari[name])
    # "Round 1 + KMeans is already above every method without a network on this seed"
    assert ari[R1K] > max(ari[n] for n in (*REFERENCE, TSNE, SPECTRAL))
    # "the SCAN head and round 2 each add a little"
    assert ari[R1K] <= ari[R1S] <= ari[FINAL] and ari[R1K] <= ari[R2K] <= ari[FINAL]
    assert ari["AE + KMeans"] < ari["KMeans, raw pixels"]  # "below KMeans on raw pixels"
    assert ari["DEC (on the AE)"] < ari["KMeans, raw pixels"]  # "still below raw KMeans"


TRIPLE = r"([\d.]+) \(([\d.]+), ([\d.]+), ([\d.]+)\)"


def _mean_and_seeds(groups):
    mean, *seeds = (float(v) for v in groups)
    assert abs(mean - sum(seeds) / 3) <= 0.005 + 1e-9, (mean, seeds)  # the stated mean is the mean
    return mean, seeds


def test_three_seed_numbers_are_consistent_with_this_run_and_the_verdict(cells, ari, tolerance):
    text = " ".join(_markdown(cells).split())
    match = re.search(rf"the final network averages ARI {TRIPLE}, against {TRIPLE} for tuned t-SNE \+ GMM and "
                      rf"{TRIPLE} for tuned spectral clustering", text)
    assert match, "the three-seed sentence"
    groups = match.groups()
    (final, final_seeds), (tsne, tsne_seeds), (spectral, spectral_seeds) = (
        _mean_and_seeds(groups[i:i + 4]) for i in (0, 4, 8))
    assert (final_seeds[0], tsne_seeds[0], spectral_seeds[0]) == (ari[FINAL], ari[TSNE], ari[SPECTRAL])  # seed 42
    intro = next(c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("# 04"))
    intro, summary = _flat(intro), _flat(next(c.source for c in cells if c.source.startswith("## Summary")))
    best = max(tsne, spectral)
    assert final > best, "the title and the verdict say the network is ahead"
    verdict = "ahead of every tuned method without a network (mean ARI {:.2f} against {:.2f} over three seeds;"
    assert verdict.format(final, best) in intro and "beats tuned t-SNE + GMM on held-out digits" in intro
    assert f"mean ARI {final:.2f} against {best:.2f} for t-SNE + GMM over three seeds" in summary
    # and the machine that made the committed run, beside it (its three seeds: test_..._this_machines_three_seeds)
    here = re.search(r"On the machine that made it, the same three seeds give the final network ([\d.]+), ([\d.]+) and "
                     r"([\d.]+) \(mean ([\d.]+)\)", text)
    assert here and f"{here.group(4)} against {best:.2f} when the same seeds run on the machine that made the run below" \
        in intro and f"{best:.2f} for t-SNE + GMM over three seeds, {here.group(4)} on the machine that made this run" in summary
    assert f"by {final - best:.2f} ARI on average over three seeds" in text
    # "though not on every seed": the seed where the network falls behind is named, with its score
    behind = [(seed, score) for seed, score in zip((42, 43, 44), final_seeds) if score < best]
    assert bool(behind) == ("though not on every seed" in intro), behind
    for seed, score in behind:
        assert f"on seed {seed} behind by {best - score:.2f}" in text
        assert f"falls below both ({score:.2f})" in summary and score < min(tsne, spectral)
    # the ablation rows over the same seeds, and the steps' averages section 6 quotes from them
    ablation = re.search(rf"The ablation rows average: round 1 \+ KMeans {TRIPLE}, round 1 \+ SCAN head {TRIPLE} "
                         rf"and round 2 \+ KMeans {TRIPLE}\.", text)
    assert ablation, "the ablation sentence"
    (r1k, r1k_seeds), (r1s, r1s_seeds), (r2k, r2k_seeds) = (
        _mean_and_seeds(ablation.groups()[i:i + 4]) for i in (0, 4, 8))
    for quoted, name in ((r1k_seeds[0], R1K), (r1s_seeds[0], R1S), (r2k_seeds[0], R2K)):  # seed 42
        assert abs(quoted - ari[name]) <= tolerance + 1e-9, name
    means = {n: sum(s) / 3 for n, s in ((R1K, r1k_seeds), (R1S, r1s_seeds), (R2K, r2k_seeds), (FINAL, final_seeds))}
    steps = (f"the SCAN head adds {means[R1S] - means[R1K]:+.2f} ARI on round 1 and {means[FINAL] - means[R2K]:+.2f} "
             f"on round 2, and round 2 adds {means[FINAL] - means[R1S]:+.2f} over round 1 + SCAN head")
    assert steps in text, steps
    # the result is stated plainly, with no target and no earlier version's number on screen
    assert "short of" not in text and "0.92 on average" not in text and "0.94" not in summary
    # the split's caveat: the network's search started from values an earlier look at all digits chose
    assert "score may still be a little optimistic" in intro
    # ...and the more careful figure: the search's own first choice, 75 epochs, over the same seeds
    first = re.search(r"the 75-epoch network scored ([\d.]+), ([\d.]+) and ([\d.]+) on the held-out digits with seeds "
                      r"42-44: a mean of ([\d.]+), behind both baselines on seed 43", text)
    assert first and f"{sum(map(float, first.groups()[:3])) / 3:.2f}" == first.group(4) == "0.88"
    assert float(first.group(2)) < min(tsne_seeds[1], spectral_seeds[1])  # behind both on seed 43
    assert ("Section 7 explains why about 0.88 is the more careful figure (one of the network's settings was kept "
            "after its held-out score had been seen)") in intro
    assert "may still favour the network" in text and "the baselines had no such start" in text


def test_discussion_and_summary_quote_this_runs_table(cells, ari, tolerance):
    text = _flat(_markdown(cells))
    found = re.search(r"KMeans scores ([\d.]+) on the pixels and ([\d.]+) on the round-1 embedding", text)
    assert found and abs(float(found.group(1)) - ari["KMeans, raw pixels"]) <= tolerance + 1e-9
    assert abs(float(found.group(2)) - ari[R1K]) <= tolerance + 1e-9
    found = re.search(r"takes the held-out digits from ([\d.]+) ARI \(KMeans on the pixels\) to ([\d.]+) on this seed",
                      text)
    assert found and abs(float(found.group(1)) - ari["KMeans, raw pixels"]) <= tolerance + 1e-9
    assert abs(float(found.group(2)) - ari[FINAL]) <= tolerance + 1e-9
    # section 5: "methods that follow the neighbourhoods ... do much better on the same pixels"
    assert min(ari[TSNE], ari[SPECTRAL]) >= ari["KMeans, raw pixels"] + 0.08


def test_exercise_3_quotes_its_table(cells, tolerance):
    table = table_rows(output_with(cells, "Round 1 with NT-Xent + KMeans"))
    ntx, ours = table["Round 1 with NT-Xent + KMeans"]["ari"], table[R1K]["ari"]
    text = _flat(_markdown(cells))
    found = re.search(r"round 1 with NT-Xent \+ KMeans scores ([\d.]+) against ([\d.]+) with the notebook's loss", text)
    assert found and abs(float(found.group(1)) - ntx) <= tolerance + 1e-9
    assert abs(float(found.group(2)) - ours) <= tolerance + 1e-9
    assert abs(ntx - ours) <= 0.03  # "the two losses teach much the same thing"


def test_dec_prose_matches_its_measurements(cells, ari, rows):
    """Section 10 counts what DEC did with one matching, the start's (DEC's cluster j is KMeans' cluster j), so a
    digit counts as moved only if it changed cluster: the counts add up, and the prose's words hold for them."""
    text = output_with(cells, "quarter DEC is most sure about")
    overall, sure = _number(text, r"after DEC: ([\d.]+)% of all"), _number(text, r"digits, ([\d.]+)% of the quarter")
    md = _flat(_markdown(cells))
    assert "most sure about is wrong far less often than the digits overall" in md
    assert sure < overall / 3  # "far less often"
    moved = re.search(r"DEC moved (\d+) of (\d+) digits to another cluster: (\d+) from a wrong cluster to the right one, "
                      r"(\d+) from the right one to a wrong one, (\d+) from one wrong cluster to another", text)
    assert moved, text
    total_moved, n, fixed, broke, sideways = (int(v) for v in moved.groups())
    assert fixed + broke + sideways == total_moved and n == 899
    # "DEC moves few digits at all, about one in ten, and they go both ways: about as many from the right cluster
    # to a wrong one as from a wrong one to the right one"
    assert "DEC moves few digits at all, about one in ten, and they go both ways" in md
    assert 0.05 <= total_moved / n <= 0.15
    assert abs(fixed - broke) <= 0.25 * max(fixed, broke)
    stuck = re.search(r"of the (\d+) digits in a wrong cluster at the start, (\d+) are still in a wrong one", text)
    wrong_start, still = int(stuck[1]), int(stuck[2])
    assert still == wrong_start - fixed  # the two lines count the same digits
    # "Of the digits that start in a wrong cluster, most are still in a wrong cluster at the end"; section 5 first
    assert "Of the digits that start in a wrong cluster, most are still in a wrong cluster at the end" in md
    assert "of the digits that start in a wrong cluster, more stay in a wrong cluster than reach the right one" in md
    assert still > wrong_start / 2 and still > fixed
    # "Either way"/"So DEC loses about as many correct digits as it gains (compare the accuracy of AE + KMeans and
    # of DEC)"
    assert "So DEC loses about as many correct digits as it gains" in md
    assert abs(rows["DEC (on the AE)"]["accuracy"] - rows["AE + KMeans"]["accuracy"]) <= 0.03
    start = output_with(cells, "ARI of the KMeans start")
    assert _number(start, r"KMeans start ([\d.]+)") == ari["AE + KMeans"]
    assert _number(start, r"after DEC ([\d.]+)") == ari["DEC (on the AE)"]
    assert _number(start, r"DEC trained (\d+) epochs") < 100  # the stopping rule ended it
    assert ari["DEC (on the AE)"] <= max(ari[TSNE], ari[FINAL]) - 0.15  # "far from the best methods"


def test_the_logged_scan_loss_is_quoted_from_the_last_progress_line(cells, request):
    """Section 6: "in the last progress line below (round 2's head), c − 5 × e ≈ l, where the line prints L": the
    numbers are that line's, and the arithmetic holds to the two decimals quoted (a teacher found them stale)."""
    lines = re.findall(r"consistency ([\d.]+)\s+entropy ([\d.]+)\s+loss (-[\d.]+)", output_with(cells, "consistency"))
    consistency, entropy, loss = lines[-1]
    assert abs(float(consistency) - 5 * float(entropy) - float(loss)) < 0.02  # batch-size weighting aside
    if request.node.callspec.params["cells"] == "committed":
        quoted = f"{consistency} − 5 × {entropy} ≈ −{abs(float(consistency) - 5 * float(entropy)):.2f}, where the line prints −{loss[1:]}"
        assert quoted in _flat(_markdown(cells)), quoted


def test_the_contrastive_rounds_final_losses_are_quoted_from_their_progress_lines(cells, request):
    """Section 6: "Round 1 ends at 3.98 and round 2 at 3.87, the progress lines printed above", much nearer the
    floor of about 3.6 than chance, ln 256 (a re-run left the round-2 figure stale; nothing caught it)."""
    ends = [float(v) for v in re.findall(r"trained 100 epochs in [\d.]+ s\s+loss ([\d.]+)", output_with(cells, "consistency"))]
    assert len(ends) == 2  # round 1's and round 2's contrastive training, each 100 epochs
    assert all(3.6 < end < math.log(256) - 1 for end in ends)  # "much nearer that floor than chance"
    if request.node.callspec.params["cells"] == "committed":
        assert f"Round 1 ends at {ends[0]:.2f} and round 2 at {ends[1]:.2f}, the progress lines printed above" in \
            _flat(_markdown(cells))


def test_decs_rows_grow_surer_but_stay_below_one_half_as_section_4_says(cells, request):
    """Section 4: "the cell above prints the mean of each row's largest entry, 0.29 at the start and 0.47 after
    DEC, still below one half", the range in which a row's gap to its target is largest."""
    text = output_with(cells, "how sure DEC's rows are")
    start, end = (float(v) for v in re.search(r"largest q: ([\d.]+) at the start -> ([\d.]+) after DEC", text).groups())
    assert 0.1 < start < end < 0.5  # sharper rows, still below one half
    if request.node.callspec.params["cells"] == "committed":
        assert (f"the mean of each row's largest entry, {start:.2f} at the start and {end:.2f} after DEC, still "
                "below one half") in _flat(_markdown(cells))


def test_the_numbers_the_teachers_read_added(cells, request):
    """Statements made precise after a teacher's read: each number as the outputs and the README give it."""
    text = _flat(_markdown(cells))
    # "(the last batch of each epoch fewer: 899 = 3 × 256 + 131)"
    held_out = int(re.search(r"held-out half (\d+)", output_with(cells, "held-out half")).group(1))
    assert held_out == 899 == 3 * 256 + 131
    assert "(the last batch of each epoch fewer: 899 = 3 × 256 + 131)" in text
    # "The network's numbers move with the seed (0.90 to 0.92 for the final network, 0.80 to 0.92 with 75
    # epochs per round), the baselines' do not"
    final = [float(v) for v in re.search(r"the final network averages ARI [\d.]+ \(([\d.]+), ([\d.]+), ([\d.]+)\)",
                                         text).groups()]
    readme = _flat((ROOT / "README.md").read_text(encoding="utf-8"))
    epochs_75 = [float(v) for v in re.search(r"that network scored ([\d.]+), ([\d.]+) and ([\d.]+) on the held-out "
                                             r"seeds", readme).groups()]
    assert (f"(0.90 to 0.92 for the final network, 0.80 to 0.92 with 75 epochs per round)" in text
            and (min(final), max(final)) == (0.90, 0.92) and (min(epochs_75), max(epochs_75)) == (0.80, 0.92))
    # solution 1: the round-2 embedding's purity at k = 1, 5, 10, 20 against the pixels'
    pixels = [float(v) for v in re.findall(r"k=\s*\d+: ([\d.]+) of the neighbours show",
                                          output_with(cells, "of the neighbours show the same digit"))]
    both = re.findall(r"k=\s*\d+: ([\d.]+) of the round-1 embedding's neighbours, ([\d.]+) of the round-2 embedding's",
                      output_with(cells, "of the round-1 embedding's neighbours"))
    first, learned = [float(r[0]) for r in both], [float(r[1]) for r in both]
    assert len(pixels) == len(learned) == 4
    # the committed run exactly; a fresh run on another CPU or TensorFlow build within a hundredth
    slack = 0.0 if request.node.callspec.params["cells"] == "committed" else 0.01
    assert all(a >= b - slack for a, b in zip(learned, learned[1:]))  # "falls"
    assert learned[0] < pixels[0] + slack  # "a little less often the same digit than the pixels'"
    assert all(e > p - slack for e, p in zip(learned[1:], pixels[1:]))  # "from k = 5 on it is ahead"
    leads = [e - p for e, p in zip(learned, pixels)]
    assert all(a <= b + slack for a, b in zip(leads, leads[1:]))  # "the further out, the more"
    assert learned[0] - learned[3] < pixels[0] - pixels[3]  # "falls far more slowly"
    quoted = re.search(r"from (\d\.\d+) at k = 1 to (\d\.\d+) at k = 20, where the pixels' falls from (\d\.\d+) to (\d\.\d+)", text)
    assert quoted and [float(v) for v in quoted.groups()[2:]] == [pixels[0], pixels[3]]
    # the embedding moves with the CPU and the TensorFlow build; the committed run is quoted exactly
    assert all(abs(float(q) - e) <= 0.01 for q, e in zip(quoted.groups()[:2], (learned[0], learned[3])))
    assert f"against {pixels[2]:.3f} and {pixels[3]:.3f}." in text
    # "The round-1 embedding ... is as pure from 5 to 10 neighbours (0.966 at 10), a little purer at 1 (0.981), and a
    # little less at 20 (0.945)";
    # section 6: "at 5 neighbours, and at the 10 that round 2 mines in round 1's embedding, the two are equally pure"
    assert len(first) == 4 and all(abs(a - b) <= 0.005 + slack for a, b in zip(first[1:3], learned[1:3]))
    assert first[3] < learned[3] + slack
    if not slack:
        assert (f"is as pure from 5 to 10 neighbours ({first[2]:.3f} at 10), a little purer at 1 ({first[0]:.3f}), and a "
                f"little less at 20 ({first[3]:.3f})") in text
        assert first[0] > learned[0]  # "a little purer at 1"
    # the README's search table marks three ties; "Only at the epochs was an exact-score lead turned down as a tie"
    record = json.loads((ROOT / "benchmarks" / "tune_digits.json").read_text())
    assert "Only at the epochs was an exact-score lead turned down as a tie" in readme and readme.count("(a tie at") == 3
    ties, ahead = [], []
    for step in record["network_steps"]:
        grid = step["step"] == "k_round1 x k_round2"  # the first step tries both neighbour counts, a 2 x 2 grid
        incumbent, others = _step(record, step["step"], alternatives=3 if grid else 2)
        if any(incumbent["config"][key] != value for key, value in step["chosen"].items()):
            continue  # the step moved (sharpness): "every other starting value" is about the steps that kept it
        for other in others:
            if round(other["dev_ari"], 2) == round(incumbent["dev_ari"], 2):
                ties.append(step["step"])
                if other["dev_ari"] > incumbent["dev_ari"]:
                    ahead.append(step["step"])
    assert len(ties) == 3 and ahead == ["epochs"]


def test_decs_accuracy_barely_moves_while_its_ari_rises(cells, rows):
    """"DEC's accuracy barely moves while its ARI rises" (section 7's reading of the table)."""
    text = _flat(_markdown(cells))
    assert "DEC's accuracy barely moves while its ARI rises" in text
    start, dec = rows["AE + KMeans"], rows["DEC (on the AE)"]
    assert dec["ari"] > start["ari"] and abs(dec["accuracy"] - start["accuracy"]) <= 0.02


def test_dec_and_the_map_quote_this_runs_table(cells, rows, request, tolerance):
    """Section 9 and the summary: DEC "ends a little below KMeans on raw pixels in ARI (0.66 against 0.69) and
    clearly below it in accuracy (0.73 against 0.80)"; section 8's map: "the results table's KMeans rows measure it:
    0.69 on the pixels, 0.91 on this embedding"."""
    text = _flat(_markdown(cells))
    dec, raw, round2 = rows["DEC (on the AE)"], rows["KMeans, raw pixels"], rows[R2K]
    found = re.search(r"a little below KMeans on raw pixels in ARI \(([\d.]+) against ([\d.]+)\) and clearly below it "
                      r"in accuracy \(([\d.]+) against ([\d.]+)\)", text)
    assert found, "section 9's DEC sentence"
    quoted = [float(v) for v in found.groups()]
    for value, actual in zip(quoted, (dec["ari"], raw["ari"], dec["accuracy"], raw["accuracy"])):
        assert abs(value - actual) <= tolerance + 1e-9
    assert dec["ari"] < raw["ari"] and dec["accuracy"] < raw["accuracy"]  # "below", in both
    if request.node.callspec.params["cells"] == "committed":  # DEC's share moves with the CPU (see above)
        assert raw["ari"] - dec["ari"] <= 0.06 and raw["accuracy"] - dec["accuracy"] >= 0.04  # "a little", "clearly"
    assert f"DEC ends below KMeans on raw pixels (ARI {quoted[0]:.2f} against {quoted[1]:.2f})" in text  # summary
    # section 8's reading of the table says it too: "still below raw KMeans (0.69; accuracy 0.73 against 0.80)"
    assert f"still below raw KMeans ({quoted[1]:.2f}; accuracy {quoted[2]:.2f} against {quoted[3]:.2f})" in text
    found = re.search(r"the results table's KMeans rows measure it: ([\d.]+) on the pixels, ([\d.]+) on this embedding",
                      text)
    assert found and abs(float(found.group(1)) - raw["ari"]) <= tolerance + 1e-9
    assert abs(float(found.group(2)) - round2["ari"]) <= tolerance + 1e-9


def test_the_autoencoder_code_scores_below_the_pixels_as_section_4_opens(cells, rows, tolerance):
    """Section 4 opens: "AE + KMeans (0.61) scores below KMeans on the raw pixels (0.69)"."""
    text = _flat(_markdown(cells))
    found = re.search(r"AE \+ KMeans \(([\d.]+)\) scores below KMeans on the raw pixels \(([\d.]+)\)", text)
    assert found, "section 4's first sentence"
    assert abs(float(found.group(1)) - rows["AE + KMeans"]["ari"]) <= tolerance + 1e-9
    assert abs(float(found.group(2)) - rows["KMeans, raw pixels"]["ari"]) <= tolerance + 1e-9
    assert rows["AE + KMeans"]["ari"] < rows["KMeans, raw pixels"]["ari"]


def test_the_class_sizes_the_scan_prose_quotes_are_the_held_out_counts(cells):
    """The SCAN head's entropy term pulls towards equal sizes; the prose quotes the held-out digits' class sizes."""
    counts = [int(n) for n in re.search(r"held-out images per digit: \[([\d ]+)\]",
                                         output_with(cells, "held-out images per digit")).group(1).split()]
    prose = " ".join(_markdown(cells).split())
    assert f"ten classes are nearly equal ({min(counts)} to {max(counts)} images each)" in prose
    assert max(counts) / min(counts) < 1.25  # "nearly equal"


def test_standardising_the_pixels_costs_through_both_reasons_the_prose_gives():
    """Section 1 (a teacher's check): standardised, the rare strokes of nearly blank pixels land far out (up to 30
    standard deviations), and clipping them back helps but does not recover pixels / 16; nor does standardising
    only the pixels inked in 30 % of the digits or more: equal weights cost by themselves. KMeans, held-out half."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.metrics import adjusted_rand_score
    from threadpoolctl import threadpool_limits

    import lesson_code
    from helpers import data

    digits = data.digits()
    _, held_out = lesson_code.load("04_deep_embedded_clustering_digits.ipynb").split_in_halves(len(digits.X), seed=0)
    raw, y = digits.X_raw[held_out], digits.y[held_out]
    standardised = data.standardize(raw)
    common = (raw > 0).mean(axis=0) >= 0.3

    def ari(X):
        with threadpool_limits(1):  # as the notebook clusters (its threadpool_limits(1)): the same centres every run
            return adjusted_rand_score(y, KMeans(10, n_init=10, random_state=42).fit_predict(X))

    assert 25 < np.abs(standardised).max() <= 30.5  # "up to 30 standard deviations out"
    per_16, all_standardised, clipped = ari(raw / 16), ari(standardised), ari(np.clip(standardised, -3, 3))
    assert all_standardised < clipped < per_16 - 0.1  # stray strokes cost, but not all of it
    assert ari(data.standardize(raw[:, common])) < ari(raw[:, common] / 16) - 0.05  # nor do equal weights alone
    text = " ".join(" ".join(c.source for c in read("04_deep_embedded_clustering_digits.ipynb").cells
                             if c.cell_type == "markdown").split())
    assert ("A border pixel that is almost always 0 would put its rare stray strokes up to 30 standard deviations out "
            "(on the 899 held-out digits), "
            "and a pixel that varies little would count as much as the central ones whose strokes tell the digits "
            "apart; both cost") in text


def test_this_machines_three_seeds_agree_between_readme_notebook_and_committed_run(cells, ari, request):
    """The three-seed table was run on another machine than notebook 04's committed run; the README and section 7
    give the committed machine's three seeds beside it: the same final-network scores in both, seed 42's equal to
    the committed run's, and the two derived claims (the lead over t-SNE + GMM, round 2's gain) recomputed."""
    readme = _flat((ROOT / "README.md").read_text(encoding="utf-8"))
    numbers = r"([\d.]+), ([\d.]+),? and ([\d.]+)"
    final = [float(v) for v in re.search(rf"give: the final network {numbers} \(mean ([\d.]+)\)", readme).groups()]
    r1s = [float(v) for v in re.search(r"round 1 \+ SCAN head ([\d.]+), ([\d.]+), ([\d.]+), round 1", readme).groups()]
    assert round(sum(final[:3]) / 3, 2) == final[3]
    md = _flat(_markdown(cells))
    assert (f"the same three seeds give the final network {final[0]:.2f}, {final[1]:.2f} and {final[2]:.2f} (mean "
            f"{final[3]:.2f})") in md
    if request.node.callspec.params["cells"] == "committed":
        assert final[0] == ari[FINAL]  # seed 42 is the committed run
    gains = [f - r for f, r in zip(final, r1s)]
    signed = [f"{g:+.2f}".replace("-", "−") for g in gains]
    assert abs(sum(gains) / 3) < 0.005  # "round 2 adds nothing over round 1 + SCAN head on average"
    assert f"round 2 nothing over round 1 + SCAN head on average ({signed[0]}, {signed[1]} and {signed[2]})" in md
    assert f"round 2 adds nothing over round 1 + SCAN head on average ({', '.join(signed)})" in readme
    leads = [f - 0.83 for f in final[:3]]  # t-SNE + GMM scores 0.83 on every seed
    assert "(0.83, 0.83, 0.83) for tuned t-SNE + GMM" in md
    assert f"The network's lead over tuned t-SNE + GMM is {leads[0]:.2f}, {leads[1]:.2f} and {leads[2]:.2f} there" in readme

