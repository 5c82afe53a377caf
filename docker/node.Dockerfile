# syntax=docker/dockerfile:1
# The Node.js services (producer, pipeline runner, assistant API): one image, the command picks
# the service (compose.yml). Multi-stage: the build stage installs the workspaces' packages and
# compiles the TypeScript; the runtime stage keeps only production packages and dist/.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY kernel-helpers/package.json kernel-helpers/
COPY pipelines/package.json pipelines/
COPY services/package.json services/
COPY extension/package.json extension/
RUN npm ci --no-audit --no-fund --ignore-scripts \
      --workspace kernel-helpers --workspace pipelines --workspace services --include-workspace-root
COPY tsconfig.base.json tsconfig.json ./
COPY kernel-helpers kernel-helpers
COPY pipelines pipelines
COPY services services
RUN node node_modules/typescript/bin/tsc -b kernel-helpers pipelines services \
 && npm prune --omit=dev --no-audit --no-fund \
      --workspace kernel-helpers --workspace pipelines --workspace services --include-workspace-root

FROM node:20-slim AS runtime
ENV NODE_ENV=production LAKEHOUSE_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/kernel-helpers/package.json kernel-helpers/
COPY --from=build /app/kernel-helpers/dist kernel-helpers/dist
COPY --from=build /app/pipelines/package.json pipelines/
COPY --from=build /app/pipelines/dist pipelines/dist
COPY --from=build /app/services/package.json services/
COPY --from=build /app/services/dist services/dist
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8000 8010
CMD ["node", "services/dist/assistant/main.js"]
