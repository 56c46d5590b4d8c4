// The GPU worker: no ingress, scaled by KEDA's azure-queue scaler on echo-jobs with the worker's managed identity,
// from zero replicas (no GPU billed while the queue is empty) up to maxReplicas.
param location string
param tags object
param containerAppName string
param managedEnvironmentId string
param gpuWorkloadProfileName string

@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuWorkloadProfileType string
param identityName string
param registryLoginServer string
param storageAccountName string

@description('Worker image; empty on the first provision, before azd has built and pushed it.')
param imageName string = ''

@description('Visible messages per replica that KEDA aims for.')
@minValue(1)
param queueLengthPerReplica int

@minValue(1)
param maxReplicas int

@description('Jobs per engine batch (Worker__BatchSize, 1..32); 0: the worker picks it from the model and the GPU\'s memory.')
@minValue(0)
@maxValue(32)
param batchSize int = 0

@description('Model bundle folder inside the image (Worker__BundlePath); see docs/deploy.md to swap it.')
param bundlePath string = '/models/bundle'

@description('Id the bundle at bundlePath must have (Worker__BundleId): the one the ingest derives job ids with.')
param bundleId string

@secure()
param webhookSecret string = ''

@description('Key Vault URI and secret names of the watermark key (keyvault.bicep).')
param keyVaultUri string
param watermarkSecretName string

@description('Outbox blobs (pending webhook deliveries) per replica that wake the worker; see the webhook-outbox rule.')
@minValue(1)
param outboxBlobsPerReplica int = 50

// The queue the worker consumes (EchoPipeline.Jobs.StorageNames.JobsQueue).
var jobsQueueName = 'echo-jobs'
// The webhook outbox (EchoPipeline.Jobs.StorageNames.WebhooksContainer).
var webhooksContainerName = 'webhooks'
// A public image that starts without configuration, until `azd deploy` replaces it.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'
// Serverless GPU replicas get the profile's whole machine: NC8as T4 v3 (8 vCPU, 56 GiB) or NC24 A100 v4 (24 vCPU, 220 GiB).
var resources = gpuWorkloadProfileType == 'Consumption-GPU-NC24-A100'
  ? { cpu: json('24'), memory: '220Gi' }
  : { cpu: json('8'), memory: '56Gi' }
// The GPU's memory free before the bundle loads (A100 80 GB, T4 16 GB, less the CUDA context): the worker cannot ask the
// device without the driver's library, so infra says it (Worker__DeviceMemoryMiB) and the worker sizes its batches.
var deviceMemoryMiB = gpuWorkloadProfileType == 'Consumption-GPU-NC24-A100' ? 80000 : 15000
// An explicit batch size overrides the pick from memory.
var batchSizeEnv = batchSize > 0 ? [{ name: 'Worker__BatchSize', value: string(batchSize) }] : []
// Container Apps sends SIGTERM, waits this long, then kills; the worker finishes or releases its jobs within it.
var terminationGracePeriodSeconds = 60

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

var webhookEnv = empty(webhookSecret) ? [] : [
  { name: 'Webhooks__Secret', secretRef: 'webhook-secret' }
]

resource worker 'Microsoft.App/containerApps@2025-01-01' = {
  name: containerAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'worker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    environmentId: managedEnvironmentId
    workloadProfileName: gpuWorkloadProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [
        {
          server: registryLoginServer
          identity: identity.id
        }
      ]
      // The watermark secret stays in Key Vault: Container Apps fetches it with the worker's identity.
      secrets: concat([
        { name: 'watermark-secret', keyVaultUrl: '${keyVaultUri}secrets/${watermarkSecretName}', identity: identity.id }
      ], empty(webhookSecret) ? [] : [
        { name: 'webhook-secret', value: webhookSecret }
      ])
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: 'worker'
          image: empty(imageName) ? placeholderImage : imageName
          resources: resources
          env: concat([
            { name: 'EchoStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
            { name: 'EchoStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
            { name: 'EchoStorage__clientId', value: identity.properties.clientId }
            { name: 'EchoStorage__createIfMissing', value: 'false' }
            { name: 'Worker__ExecutionProvider', value: 'Cuda' }
            { name: 'Worker__BundlePath', value: bundlePath }
            { name: 'Worker__BundleId', value: bundleId }
            { name: 'Worker__DeviceMemoryMiB', value: string(deviceMemoryMiB) }
            { name: 'Worker__ShutdownTimeout', value: '00:00:45' }
            { name: 'Watermark__Secret', secretRef: 'watermark-secret' }
          ], batchSizeEnv, webhookEnv)
          // /healthz answers 503 until the bundle's GPU sessions exist: the startup probe allows ~5 minutes for it
          // (image pull is not counted), then liveness restarts a replica whose loop stopped.
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: 8080
              }
              initialDelaySeconds: 30
              periodSeconds: 30
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: 8080
              }
              periodSeconds: 30
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'echo-jobs-queue'
            azureQueue: {
              accountName: storage.name
              queueName: jobsQueueName
              queueLength: queueLengthPerReplica
              identity: identity.id
            }
          }
          // Webhook deliveries still pending in the outbox (a receiver that was down when the last job finished) wake a
          // replica even with the queue empty; delivery gives up after Webhooks__TotalTimeout (1 h), so a dead receiver
          // keeps a GPU replica for at most that long. KEDA's azure-blob scaler counts the container's blobs.
          {
            name: 'webhook-outbox'
            custom: {
              type: 'azure-blob'
              metadata: {
                accountName: storage.name
                blobContainerName: webhooksContainerName
                blobCount: string(outboxBlobsPerReplica)
                activationBlobCount: '0'
              }
              identity: identity.id
            }
          }
        ]
      }
    }
  }
}

output name string = worker.name
output id string = worker.id
