// The 3D viewer of Model3D: three.js with its glTF/GLB, OBJ, STL and PLY
// loaders and orbit controls. Built as a module of its own
// (static/viewer3d.js, see build.mjs): the page imports it by URL and the
// notebook runtime asks the kernel for its source ("module" message), so
// neither the page bundle nor the notebook runtime carries three.js unless a
// Model3D is shown.
import {
  Box3, Color, DirectionalLight, HemisphereLight, Mesh, MeshStandardMaterial, PerspectiveCamera,
  Points, PointsMaterial, Scene, Spherical, Vector3, WebGLRenderer,
} from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { OBJLoader } from "three/examples/jsm/loaders/OBJLoader.js";
import { PLYLoader } from "three/examples/jsm/loaders/PLYLoader.js";
import { STLLoader } from "three/examples/jsm/loaders/STLLoader.js";

/** File extensions the viewer draws (others are offered as a download only). */
export const FORMATS = ["glb", "gltf", "obj", "stl", "ply"];

const surface = (vertexColors) => new MeshStandardMaterial({ color: vertexColors ? 0xffffff : 0x8a9bb0,
  roughness: 0.6, vertexColors, flatShading: true });

async function load(url, ext) {
  if (ext === "glb" || ext === "gltf") return (await new GLTFLoader().loadAsync(url)).scene;
  if (ext === "obj") {
    const group = await new OBJLoader().loadAsync(url);
    // without its .mtl an OBJ has no colours: shade it like an STL
    group.traverse((o) => { if (o.isMesh) o.material = surface(false); });
    return group;
  }
  const geometry = await (ext === "stl" ? new STLLoader() : new PLYLoader()).loadAsync(url);
  geometry.computeVertexNormals?.();
  if (ext === "ply" && !geometry.index && geometry.attributes.color) {
    return new Points(geometry, new PointsMaterial({ size: 0.01, vertexColors: true }));
  }
  return new Mesh(geometry, surface(!!geometry.attributes.color));
}

function applyMode(object, mode) {
  object.traverse((o) => {
    if (!o.isMesh) return;
    const materials = Array.isArray(o.material) ? o.material : [o.material];
    for (const m of materials) if ("wireframe" in m) m.wireframe = mode === "wireframe";
    if (mode === "point_cloud") {
      o.visible = false;
      const pts = new Points(o.geometry, new PointsMaterial({ size: 0.01, color: 0xb0b0b0 }));
      o.parent.add(pts);
    }
  });
}

/**
 * Show the model at `url` (`ext`: its extension) in `box`. Options (Gradio's
 * Model3D props): clearColor [r, g, b, a] in 0..1, cameraPosition
 * [alpha, beta, radius] (degrees, degrees, model units; nulls keep the
 * default), zoomSpeed, panSpeed, displayMode "solid" | "wireframe" |
 * "point_cloud". Resolves to {canvas, reset(), dispose()}.
 */
export async function show(box, url, ext, opts = {}) {
  const object = await load(url, ext);
  const renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  const [r, g, b, a] = opts.clearColor || [0, 0, 0, 0];
  renderer.setClearColor(new Color(r, g, b), a ?? 1);
  renderer.setPixelRatio(window.devicePixelRatio || 1);
  const scene = new Scene();
  scene.add(new HemisphereLight(0xffffff, 0x444450, 1.6));
  const sun = new DirectionalLight(0xffffff, 1.8);
  scene.add(sun);
  applyMode(object, opts.displayMode);
  scene.add(object);

  const bounds = new Box3().setFromObject(object);
  const center = bounds.getCenter(new Vector3());
  const size = bounds.getSize(new Vector3()).length() || 1;
  const camera = new PerspectiveCamera(45, 1, size / 1000, size * 100);
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.target.copy(center);
  controls.zoomSpeed = opts.zoomSpeed ?? 1;
  controls.panSpeed = opts.panSpeed ?? 1;

  const reset = () => {
    // alpha: around the vertical axis (90° = from the front), beta: down from the top
    // (90° = level with the model), radius: distance; defaults: a three-quarter view
    // from a little above that fits the model
    const [alpha, beta, radius] = opts.cameraPosition || [];
    const where = new Spherical(radius ?? size * 1.3, (((beta ?? 65) * Math.PI) / 180),
      (((alpha ?? 60) - 90) * Math.PI) / 180);
    camera.position.setFromSpherical(where).add(center);
    camera.lookAt(center);
    controls.update();
  };

  const up = new Vector3();
  const draw = () => {
    // the light comes from above the viewer's left shoulder, so faces differ in shade
    up.set(-size, size, 0).applyQuaternion(camera.quaternion);
    sun.position.copy(camera.position).add(up);
    renderer.render(scene, camera);
  };
  const fit = () => {
    const w = box.clientWidth || 400;
    const h = box.clientHeight || 300;
    renderer.setSize(w, h, false);
    camera.aspect = w / h;
    camera.updateProjectionMatrix();
    draw();
  };
  controls.addEventListener("change", draw);
  const observer = new ResizeObserver(fit);
  observer.observe(box);
  box.replaceChildren(renderer.domElement);
  renderer.domElement.style.width = "100%";
  renderer.domElement.style.height = "100%";
  reset();
  fit();
  return {
    canvas: renderer.domElement,
    reset: () => { reset(); draw(); },
    dispose: () => {
      observer.disconnect();
      controls.dispose();
      renderer.dispose();
      object.traverse((o) => { o.geometry?.dispose?.(); });
    },
  };
}
