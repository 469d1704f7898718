import { appEntityName } from './annotations';
import { parseAppImages, pullsAcrossRegions } from './appPlatform';

describe('App Platform entity helpers', () => {
  it('names an app entity doapp-<name>', () => {
    expect(appEntityName('shop-web')).toBe('doapp-shop-web');
  });

  it('reads the images annotation, and nothing from a value it does not know', () => {
    const images = [
      {
        component: 'web',
        kind: 'service',
        registry: 'acme',
        repository: 'web',
        tag: 'v1',
        deployOnPush: true,
      },
    ];
    expect(parseAppImages(JSON.stringify(images))).toEqual(images);
    expect(parseAppImages(undefined)).toEqual([]);
    expect(parseAppImages('not json')).toEqual([]);
    expect(parseAppImages(JSON.stringify([{ component: 'web' }]))).toEqual([]);
  });

  it('says a pull crosses regions when the registry is in none of the data centers', () => {
    expect(pullsAcrossRegions('ams3', ['fra1'])).toBe(true);
    expect(pullsAcrossRegions('nyc3', ['nyc1', 'nyc3'])).toBe(false);
    expect(pullsAcrossRegions(undefined, ['fra1'])).toBe(false);
    expect(pullsAcrossRegions('ams3', [])).toBe(false);
  });
});
