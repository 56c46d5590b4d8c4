// Least-privilege data-plane roles, each assignment named with guid(scope, principal, role) so re-deploys are idempotent.
// Built-in role definition ids: learn.microsoft.com, "Azure built-in roles".
param storageAccountName string
param registryName string
param applicationInsightsName string
param ingestPrincipalId string
param workerPrincipalId string
@description('Deploying user; empty skips the user assignment.')
param userPrincipalId string = ''

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageBlobDataReader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Ingest: the Functions host keeps its keys and leases in AzureWebJobsStorage (identity-based storage for the host
// needs Blob Data Owner), reads its Flex deployment package, and the blob trigger keeps receipts; the app reads uploads
// and writes frames and job records.
resource ingestBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, ingestPrincipalId, storageBlobDataOwner)
  scope: storage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

// Ingest: the blob trigger queues Event Grid deliveries internally and moves failures to its poison queue (create,
// read, update, delete messages), and the app sends claim-check messages to echo-jobs.
resource ingestQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, ingestPrincipalId, storageQueueDataContributor)
  scope: storage
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

// Application Insights refuses key-only ingestion (DisableLocalAuth), so the host publishes telemetry with its identity.
resource ingestTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, ingestPrincipalId, monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: ingestPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

// Worker: only the containers and queues it uses (EchoPipeline.Jobs.StorageNames), never the account, so it can
// neither write the Functions deployment package nor touch the event dead-letters. It reads uploads and frames, and
// writes WAV/video/spectrogram, job records and the webhook outbox (blob leases included).
var workerReadContainers = ['videos', 'frames']
var workerWriteContainers = ['audio', 'scored', 'jobs', 'webhooks']
var workerQueues = ['echo-jobs', 'echo-jobs-poison']

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource readContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in workerReadContainers: {
  parent: blobService
  name: name
}]

resource writeContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [for name in workerWriteContainers: {
  parent: blobService
  name: name
}]

resource jobQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' existing = [for name in workerQueues: {
  parent: queueService
  name: name
}]

resource workerBlobRead 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerReadContainers: {
  name: guid(readContainers[i].id, workerPrincipalId, storageBlobDataReader)
  scope: readContainers[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataReader)
  }
}]

resource workerBlobWrite 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerWriteContainers: {
  name: guid(writeContainers[i].id, workerPrincipalId, storageBlobDataContributor)
  scope: writeContainers[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}]

// Worker: receive, renew visibility (update message), delete, send to the poison queue; KEDA reads the queue length
// with the same identity. Message Processor lacks the update permission that visibility renewal needs.
resource workerQueue 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (name, i) in workerQueues: {
  name: guid(jobQueues[i].id, workerPrincipalId, storageQueueDataContributor)
  scope: jobQueues[i]
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}]

resource workerPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, workerPrincipalId, acrPull)
  scope: registry
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
  }
}

// The deploying user uploads videos and downloads results with Entra credentials (az storage ... --auth-mode login).
resource userBlob 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(userPrincipalId)) {
  name: guid(storage.id, userPrincipalId, storageBlobDataContributor)
  scope: storage
  properties: {
    principalId: userPrincipalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
  }
}
