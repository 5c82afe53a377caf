# syntax=docker/dockerfile:1
# JupyterLab with the RT-Lakehouse extension and the tslab TypeScript kernel, the starter
# notebooks, and the scheduler (which runs notebooks on the same kernel). Python 3.12 slim with
# Node.js 20 copied in; the project's own scripts build it: scripts/setup-python.sh (the venv),
# extension/build.sh (labextension + server extension), scripts/setup-tslab.sh (kernelspec).
FROM node:20-slim AS node

FROM python:3.12-slim AS build
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /app
COPY package.json package-lock.json ./
COPY kernel-helpers/package.json kernel-helpers/
COPY pipelines/package.json pipelines/
COPY services/package.json services/
COPY extension/package.json extension/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
RUN node node_modules/typescript/bin/tsc -b \
 && bash extension/build.sh \
 && bash scripts/setup-tslab.sh \
 && rm -rf extension/lib extension/node_modules ~/.npm ~/.cache

FROM python:3.12-slim AS runtime
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV LAKEHOUSE_DIR=/data PATH=/app/.venv/bin:$PATH
WORKDIR /app
COPY --from=build /app /app
RUN useradd --create-home --uid 1000 lakehouse && mkdir -p /data && chown -R lakehouse /data /app/notebooks
USER lakehouse
EXPOSE 8888 8020
CMD ["/app/.venv/bin/jupyter", "lab", "--ServerApp.ip=0.0.0.0", "--ServerApp.port=8888", "--no-browser"]
