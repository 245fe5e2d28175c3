"""What public registries call a name, and the pieces a name is made of: two features of the role model.

The wheels here are made up in the test (the real ones come from PyPI with
``python -m kg.extract.registries``); the names are invented (Zorb, Quanta ...).
"""

from __future__ import annotations

import zipfile
from importlib import resources
from pathlib import Path

import pytest

from kg.extract.features import _pieces
from kg.extract.registries import DATASET, METHOD, METRIC, SOURCES, registered_kinds, registry_names, write_table
from kg.records import Paper


def _wheel(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return path


@pytest.fixture
def wheels(tmp_path: Path) -> dict[str, Path]:
    """One wheel a source, each registering a name or two the way the real release does."""
    files: dict[str, dict[str, str]] = {
        "lm_eval": {"lm_eval/tasks/zorbqa/default.yaml": "dataset_path: someone/ZorbQA-hard\n",
                    "lm_eval/tasks/README.md": "| [quanta_math](quanta/README.md) | sums | English |\n",
                    "lm_eval/tasks/_index.py": ""},
        "lmms_eval": {"lmms_eval/tasks/vexovqa/vexovqa.yaml": "task: vexovqa\n"},
        "evalscope": {"evalscope/benchmarks/plum.py":
                      "BenchmarkMeta(\n    name='plum_bench',\n    pretty_name='PlumBench',\n)"},
        "inspect_evals": {"inspect_evals/flarn/eval.yaml": "title: 'FLARN: Finding Lists Among Random Numbers'\n"},
        "lighteval": {"lighteval/tasks/t.py": 'LightevalTaskConfig(hf_repo="someone/glimset")\n'},
        "opencompass": {"opencompass/configs/datasets/gorpbench/gorp.py": "", "opencompass/datasets/utils.py": ""},
        "tensorflow_datasets": {"tensorflow_datasets/image/zonk_faces/builder.py": "",
                                "tensorflow_datasets/core/registered.py": ""},
        "torchvision": {"torchvision/datasets/__init__.py": '__all__ = (\n    "Quix10",\n)\n'},
        "mmdet": {"mmdet/datasets/blorp.py": "class BlorpDataset(Base):\n",
                  "mmdet/models/detectors/snarl.py": "class SnarlDet(Base):\n"},
        "mmsegmentation": {"mmseg/models/decode_heads/twin.py": "class TwinkHead(Base):\n"},
        "mmaction2": {"mmaction/datasets/wobble.py": "class WobbleVideoDataset(Base):\n"},
        "transformers": {"transformers/models/auto/auto_mappings.py": '    ("quantanet", "QuantaNetConfig"),\n'},
        "timm": {"timm/models/zeta_vit.py": "", "timm/models/_builder.py": "", "timm/optim/zoomw.py": ""},
        "mteb": {"mteb/tasks/retrieval/eng/narf.py": 'TaskMetadata(\n        name="NarfRetrieval",\n)'},
        "torchaudio": {"torchaudio/datasets/__init__.py": '__all__ = [\n    "HUMSPEECH",\n]\n'},
        "torchgeo": {"torchgeo/datasets/__init__.py": "__all__ = (\n    'FieldSat',\n    'NoSuchError',\n)\n"},
        "ogb": {"ogb/nodeproppred/master.csv": ",ogbn-zorb,ogbn-quanta\nnum tasks,1,1\n"},
        "gymnasium": {"gymnasium/envs/__init__.py": 'register(\n    id="phys2d/PoleHop-v1",\n)\n'},
        "torch_geometric": {"torch_geometric/datasets/__init__.py": "from .glim import GlimDataset\n",
                            "torch_geometric/nn/conv/zgc.py": "class ZGCConv(MessagePassing):\n"},
        "open_clip_torch": {"open_clip/model_configs/Zeta-B-16.json": "{}"},
        "diffusers": {"diffusers/pipelines/quanta_flow/pipeline.py": "", "diffusers/pipelines/pipeline_utils.py": ""},
        "peft": {"peft/tuners/zorblora/layer.py": ""},
        "trl": {"trl/trainer/zpo_trainer.py": "", "trl/trainer/zpo_config.py": "",
                "trl/experimental/qpo/trainer.py": "", "trl/experimental/helper.py": ""},
        "stable_baselines3": {"stable_baselines3/zac/zac.py": "", "stable_baselines3/version.txt": ""},
        "torchtext": {"torchtext/datasets/__init__.py": 'DATASETS = {\n    "ZorbText103": ZorbText103,\n}\n'},
        "parlai": {"parlai/tasks/task_list.py": '    {\n        "id": "QuantaChat",\n'
                                                '        "display_name": "Quanta Chat",\n    },\n    {\n'
                                                '        "id": "vx",\n        "display_name": "The Vexo Dialogue '
                                                'Corpus of Many Words",\n    },\n'},
        "pykeen": {"pykeen/datasets/__init__.py": '__all__ = [\n    "get_dataset",\n    "Dataset",\n    "ZB15k",\n]\n'},
        "flair": {"flair/datasets/__init__.py": '__all__ = [\n    "ColumnCorpus",\n    "SentenceDataset",\n'
                                                '    "PLUM_NER",\n]\n'},
        "avalanche_lib": {"avalanche/benchmarks/classic/czorb.py": "def SplitZorb(n):\n    pass\n"},
        "torchmetrics": {"torchmetrics/audio/zsq.py": 'class ZorbSignalQuality(Metric):\n    r"""Compute the '
                         'Zorb signal quality (`ZSQ`_), as zorb speech reading (ZSR) does.\n\n    More.\n',
                         "torchmetrics/text/quanta.py": 'class QUANTAScore(Metric):\n    """Calculate `QUANTA score`_ '
                         'of text.\n    """\n\n\nclass PlumCheck(Metric):\n    """`Calculate Plum Check`_ of '
                         'text."""\n',
                         "torchmetrics/retrieval/vrg.py": 'class RetrievalVexoRankGain(Metric):\n    """Compute '
                         '`Vexo Rank Gain`_."""\n'},
    }
    assert set(files) == {s.package for s in SOURCES}
    return {package: _wheel(tmp_path / f"{package}.whl", content) for package, content in files.items()}


def test_each_registry_gives_the_names_it_registers_as_their_kind(wheels: dict[str, Path]) -> None:
    rows = registry_names(wheels, common=frozenset({"gorpbench"}))
    # one name a kind and key, the first spelling met kept (PlumBench, not plum_bench; the folder
    # flarn, not the title's FLARN); the field's common words (gorpbench here), a package's
    # plumbing (utils, core, modules starting with "_", a trainer's config, a library's base classes
    # and functions), errors and display names that are descriptions left out; a metric's acronym
    # when its capitals are its class's (not the task beside it, ZSR, nor a sentence linked to)
    assert [(kind, name) for kind, name, _package in rows] == [
        (DATASET, "Blorp"), (DATASET, "FieldSat"), (DATASET, "flarn"), (DATASET, "Glim"), (DATASET, "glimset"),
        (DATASET, "HUMSPEECH"), (DATASET, "NarfRetrieval"), (DATASET, "ogbn-quanta"), (DATASET, "ogbn-zorb"),
        (DATASET, "PlumBench"), (DATASET, "PLUM_NER"), (DATASET, "PoleHop"), (DATASET, "QuantaChat"),
        (DATASET, "quanta_math"), (DATASET, "Quix10"), (DATASET, "SplitZorb"),
        (DATASET, "vexovqa"), (DATASET, "vx"), (DATASET, "Wobble"), (DATASET, "ZB15k"), (DATASET, "zonk_faces"),
        (DATASET, "zorbqa"), (DATASET, "ZorbQA-hard"), (DATASET, "ZorbText103"),
        (METHOD, "qpo"), (METHOD, "quanta_flow"), (METHOD, "QuantaNet"), (METHOD, "SnarlDet"), (METHOD, "Twink"),
        (METHOD, "zac"), (METHOD, "Zeta-B-16"), (METHOD, "zeta_vit"), (METHOD, "ZGC"), (METHOD, "zoomw"),
        (METHOD, "zorblora"), (METHOD, "zpo"), (METRIC, "QUANTA"), (METRIC, "VRG"), (METRIC, "ZSQ")]
    assert dict(((kind, name), package) for kind, name, package in rows)[(DATASET, "PlumBench")] == "evalscope"


def test_the_shipped_table_names_its_sources_and_knows_its_names(tmp_path: Path) -> None:
    text = resources.files("kg.data").joinpath("registry_names.tsv").read_text("utf-8")
    for source in SOURCES:
        assert f"{source.package} {source.version} ({source.licence})" in text
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert {kind for kind, _name, _package in rows} == {DATASET, METHOD, METRIC}
    for kind, name, _package in rows[:: max(1, len(rows) // 50)]:
        assert kind in registered_kinds([name])
    write_table([(k, n, p) for k, n, p in rows], tmp_path / "again.tsv")
    assert (tmp_path / "again.tsv").read_text("utf-8") == text


def test_a_registered_architecture_is_known_with_its_version_and_size_a_benchmark_only_as_named() -> None:
    text = resources.files("kg.data").joinpath("registry_names.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    method = next(n for k, n, _ in rows if k == METHOD and n.isalpha() and registered_kinds([n]) == {METHOD})
    dataset = next(n for k, n, _ in rows if k == DATASET and n.isalpha() and registered_kinds([n]) == {DATASET})
    assert registered_kinds([f"{method}-2-7B"]) == {METHOD}
    assert registered_kinds([f"{method} 1.5 Instruct"]) == {METHOD}
    assert registered_kinds([f"{dataset}-2-7B"]) == set()
    assert registered_kinds(["Zorbquaxle", "zorbquaxle 7B"]) == set()


def test_a_name_is_read_piece_by_piece_as_common_words_and_shapes() -> None:
    assert _pieces("ZorbNet-7B") == ["piece=<W>", "piece=net", "piece=<SIZE>", "piece-first=<W>", "piece-last=<SIZE>"]
    assert _pieces("QXImage-22K") == ["piece=<ACR>", "piece=image", "piece=<K>", "piece-first=<ACR>", "piece-last=<K>"]
    # a clipped word reads as the word it starts: names are coined from clipped words
    assert _pieces("ZorbBench") == ["piece=<W>", "piece=~benchmark", "piece-first=<W>", "piece-last=~benchmark"]
    assert _pieces("QXEval") == ["piece=<ACR>", "piece=~evaluate", "piece-first=<ACR>", "piece-last=~evaluate"]
    assert _pieces("-") == []


@pytest.mark.slow
def test_the_common_words_are_those_of_the_corpus(corpus_papers: list[Paper]) -> None:
    """kg/data/common_words.txt is what count_common_words counts on shared/corpus/hf-daily."""
    from kg.extract.lexicon import common_words, count_common_words

    papers = corpus_papers
    assert count_common_words(text for p in papers for text in (p.title, p.abstract)) == sorted(common_words())
    shipped = resources.files("kg.data").joinpath("common_words.txt").read_text("utf-8")
    assert f"{len(papers):,} papers" in shipped
