// Worker images; pulled by the worker identity (AcrPull), no admin user.
param location string
param tags object
param registryName string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: {
    // Anonymous pull is a Standard/Premium feature and off unless enabled.
    adminUserEnabled: false
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer
