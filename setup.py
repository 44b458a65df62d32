"""Package definition: `pip install -e .[test]` for development; shipped to Dataflow with --setup_file."""

from setuptools import setup

setup(
    name="newsclean",
    version="0.1.0",
    description="Apache Beam pipeline turning scraped web and news pages into clean Parquet training text",
    python_requires=">=3.11",
    packages=["pipeline", "transforms", "transforms.clean", "transforms.quality", "configs"],
    package_data={"configs": ["*.yaml", "*.json", "rules/*.yaml"]},
    # `newsclean --input ... --output ...`: the same flags as `python -m pipeline.run`
    entry_points={"console_scripts": ["newsclean = pipeline.run:console_main"]},
    install_requires=[
        # 2.78 (December 2026) changed the Parquet sink's protocol (pipeline/sized_parquet.py
        # follows either) and reads our annotations as type hints, checked on Flink and Dataflow:
        # 2.77 and 2.78 are tested, the next release not yet
        "apache-beam>=2.60,<2.79",
        "trafilatura>=2.0,<3",
        # trafilatura imports lxml.html.clean, which lxml 5.2+ moved out into this package.
        "lxml_html_clean>=0.4",
        "langdetect==1.0.9",
        # 2.x returns uint32 hash values (1.x uint64): band keys differ between majors, so pin one.
        "datasketch>=2.0,<3",
        # 16 brought the view types (string_view, list_view: polars writes them), which the Parquet reader and
        # the prior index accept (pipeline/parquet_rows.py, transforms/prior_dedup.py)
        "pyarrow>=16",
        "pyyaml>=6",
        # the charset of input that is not UTF-8: Firefox's detector (pipeline/charsets.py, detect_charset)
        "chardetng-py>=0.3.5,<0.4",
        "numpy>=1.24",
        # the Document coder's zstd contexts (apache-beam requires it too)
        "zstandard>=0.18",
        # WARC / WARC.gz input (Common Crawl): the Webrecorder reader, streaming and gzip-member aware.
        "warcio>=1.7,<2",
    ],
    extras_require={
        # setuptools, wheel: tests/e2e/test_cli.py installs the package (pip --no-build-isolation, offline)
        # to run the `newsclean` command; venvs of Python 3.12+ come without setuptools
        "test": ["pytest>=8", "pytest-xdist>=3.5", "hypothesis>=6", "setuptools>=61", "wheel"],
        # Beam's filesystems and runner clients for the cloud runs (docs/runners.md).
        "gcp": ["apache-beam[gcp]>=2.60,<2.79"],  # gs:// paths and DataflowRunner submission
        "aws": ["apache-beam[aws]>=2.60,<2.79"],  # s3:// paths
        "hadoop": ["apache-beam[hadoop]>=2.60,<2.79"],  # hdfs:// paths
    },
)
